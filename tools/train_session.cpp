// Runs the in-browser trainer's loop natively: train::Session (the code wasm/trainer/ runs in the
// page's worker) on a training-data file (docs/training-data.md), with the same seed, the same
// portable random stream and the same rule for the kept epoch (best validation accuracy; the test
// split is read for that epoch only). So a browser run and this run take the same steps, and their
// accuracies differ only by the floating-point order of the two builds' kernels: the fair native
// side of issue #18's "within 1.5 points with the same seed" (tools/train draws from the standard
// library's distributions, a different stream). bench/train/browser_epoch.mjs runs it.
//
//   build/native-release/tools/train_session --data-file build/training-data/imdb-full.bin --epochs 4 --seed 42
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "train/data_file.h"
#include "train/session.h"

using namespace unroll;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  CLI::App app{"Trains the tutorial's recipe with train::Session (the in-browser trainer's loop) on a training-data file"};
  std::string data_path;
  int epochs = 4;
  train::Recipe recipe;  // the tutorial's, as the page's default
  app.add_option("--data-file", data_path, "training-data file (scripts/make-training-data.sh)")->required();
  app.add_option("--epochs", epochs, "epochs to run")->check(CLI::Range(1, 100));
  app.add_option("--seed", recipe.seed, "the run's seed (the page's default is 42)");
  CLI11_PARSE(app, argc, argv);

  std::ifstream in(data_path, std::ios::binary);
  const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in.good() && !in.eof()) {
    std::fprintf(stderr, "%s: cannot read the file\n", data_path.c_str());
    return 1;
  }
  Result<train::TrainingData> data = train::read_training_data(bytes.data(), bytes.size(), data_path);
  if (!data) {
    std::fprintf(stderr, "%s\n", data.error().c_str());
    return 1;
  }
  Result<std::unique_ptr<train::Session>> created = train::Session::create(recipe, std::move(data.value()));
  if (!created) {
    std::fprintf(stderr, "%s\n", created.error().c_str());
    return 1;
  }
  train::Session& session = *created.value();
  std::printf("train_session: %d training, %d validation, %d test reviews; seed %u; %d batches per epoch\n",
              session.train_count(), session.validation_count(), session.test_count(), recipe.seed,
              session.batches_per_epoch());

  int best_epoch = 0;
  double best_validation = -1, best_test = -1;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    const auto start = Clock::now();
    double loss_sum = 0;
    long long correct = 0, seen = 0;
    for (;;) {
      const train::StepReport step = session.step();
      loss_sum += step.loss * step.count;
      correct += step.correct;
      seen += step.count;
      if (step.epoch_end) break;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const train::BinaryMetrics validation = session.evaluate("validation").value();
    const bool improved = validation.accuracy > best_validation;
    if (improved) {
      best_epoch = epoch;
      best_validation = validation.accuracy;
      Result<train::BinaryMetrics> test = session.evaluate("test");
      best_test = test ? test.value().accuracy : -1;
    }
    std::printf("epoch %d: loss %.4f acc %.4f | val_loss %.4f val_acc %.4f | %.1f s%s\n", epoch,
                loss_sum / seen, static_cast<double>(correct) / seen, validation.loss,
                validation.accuracy, seconds, improved ? "  (best)" : "");
  }
  std::printf("best epoch %d: val_acc %.4f, test accuracy %.4f\n", best_epoch, best_validation, best_test);
  return 0;
}
