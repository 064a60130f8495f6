// Evaluates model files on an aclImdb split through the core's inference Model (the code the web
// page runs), and prints accuracy, precision, recall, ROC-AUC, the confusion matrix and speed.
//
//   build/native-release/tools/evaluate models/seed-rnn.safetensors --data data/aclImdb
//   evaluate models/*.safetensors --check 0.1     fail if accuracy < provenance test_accuracy - 0.1 points
//   evaluate models/*.safetensors --table         markdown table of the files' provenance (docs/models.md)
//   evaluate models/seed-rnn.safetensors --save-probabilities DIR      store every review's p
//   evaluate models/*.safetensors --compare-probabilities DIR          fail if any p moved > 1e-6
//     (DIR/<model>.<split>.txt: one probability per review, in read_split's order; models with
//     no stored file are not compared. Refactors of the engine must not change a shipped answer.)
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "io/model_file.h"
#include "probability_file.h"
#include "review_probabilities.h"
#include "nn/model.h"
#include "text/tokenizer.h"
#include "train/dataset.h"
#include "train/metrics.h"

using namespace unroll;
using Clock = std::chrono::steady_clock;

namespace {

std::string config_summary(const ModelConfig& c) {
  char text[256];
  const std::string pooling = c.pooling == Pooling::Last ? "" : std::string(", ") + to_string(c.pooling) + " pooling";
  // A masked model pads nothing (it reads only the words), so only its truncation is named.
  if (c.mask_padding) {
    std::snprintf(text, sizeof text, "%s%s %d×%d, embedding %d, vocab %d, masked%s, maxlen %d (truncating %s%s)",
                  c.bidirectional ? "bi-" : "", to_string(c.cell), c.layers, c.units, c.embedding_dim,
                  c.vocab_size, pooling.c_str(), c.sequence.maxlen, to_string(c.sequence.truncating),
                  c.sequence.start_token ? ", start token" : "");
    return text;
  }
  std::snprintf(text, sizeof text, "%s%s %d×%d, embedding %d, vocab %d%s, maxlen %d (%s/%s%s)",
                c.bidirectional ? "bi-" : "", to_string(c.cell), c.layers, c.units, c.embedding_dim,
                c.vocab_size, pooling.c_str(), c.sequence.maxlen, to_string(c.sequence.padding),
                to_string(c.sequence.truncating), c.sequence.start_token ? ", start token" : "");
  return text;
}

long long file_size(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 ? static_cast<long long>(info.st_size) : -1;
}

std::string base_name(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

/** DIR/<model file name without .safetensors>.<split>.txt */
std::string probabilities_path(const std::string& dir, const std::string& model, const std::string& split) {
  std::string name = base_name(model);
  if (const std::size_t dot = name.rfind(".safetensors"); dot != std::string::npos) name.resize(dot);
  return dir + "/" + name + "." + split + ".txt";
}

/**
 * Compares with stored probabilities: returns "" when every |Δp| ≤ max_delta and the accuracies
 * agree to four digits, else what differs. `missing` is set when nothing is stored for the model.
 */
std::string compare_probabilities(const std::string& path, const std::vector<float>& probabilities,
                                  const std::vector<float>& labels, double max_delta, bool& missing) {
  missing = !std::ifstream(path);
  if (missing) return "";
  Result<std::vector<double>> read = tools::read_probability_file(path);
  if (!read) return read.error();
  // The file holds floats written with %.9g: read back as floats, an unchanged answer differs by 0.
  const std::vector<float> stored(read.value().begin(), read.value().end());
  if (stored.size() != probabilities.size()) {
    return path + " holds " + std::to_string(stored.size()) + " probabilities, the split has " +
           std::to_string(probabilities.size()) + " reviews";
  }
  double worst = 0.0;
  std::size_t worst_index = 0;
  long long correct_now = 0, correct_before = 0;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    const double delta = std::fabs(double(probabilities[i]) - double(stored[i]));
    if (!(delta <= worst)) worst = delta, worst_index = i;  // NaN counts as the worst
    correct_now += (probabilities[i] >= 0.5f) == (labels[i] >= 0.5f);
    correct_before += (stored[i] >= 0.5f) == (labels[i] >= 0.5f);
  }
  const double n = static_cast<double>(stored.size());
  char text[256];
  std::snprintf(text, sizeof text, "max |Δp| %.3g (review %zu), accuracy %.4f (stored: %.4f)", worst,
                worst_index, correct_now / n, correct_before / n);
  const bool same_accuracy = std::lround(correct_now / n * 1e4) == std::lround(correct_before / n * 1e4);
  if (!(worst <= max_delta) || !same_accuracy) return std::string("CHANGED: ") + text;
  std::printf("  probabilities unchanged: %s, limit %.0e\n", text, max_delta);
  return "";
}

nlohmann::json parse_provenance(const std::string& text) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  return json.is_object() ? json : nlohmann::json::object();
}

template <class T>
T get_or(const nlohmann::json& json, const char* key, T fallback) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return fallback;
  try {
    return it->get<T>();
  } catch (...) {
    return fallback;
  }
}

/** "F16", or "F16, embedding I8" for a file written by tools/quantize. */
std::string dtype_summary(const nlohmann::json& provenance) {
  std::string text = get_or<std::string>(provenance, "dtype", "?");
  const std::string embedding = get_or<std::string>(provenance, "embedding_dtype", "");
  if (!embedding.empty() && embedding != text) text += ", embedding " + embedding;
  return text;
}

/** ", embedding started from word vectors (FILE, RMS r)" for a tools/train --embedding-init run, else "". */
std::string embedding_start(const nlohmann::json& provenance) {
  const auto h = provenance.find("hyperparameters");
  if (h == provenance.end() || !h->is_object()) return "";
  const std::string vectors = get_or<std::string>(*h, "embedding_init", "");
  if (vectors.empty()) return "";
  const double rms = get_or(*h, "embedding_init_rms", 0.0);
  char scale[32] = "unscaled";
  if (rms > 0) std::snprintf(scale, sizeof scale, "RMS %g", rms);
  return ", embedding started from word vectors (`" + vectors + "`, " + scale + ")";
}

/** ", targets 0.8 × the mean of 3 teachers" for a tools/train --teacher run (distillation), else "". */
std::string distillation(const nlohmann::json& provenance) {
  const auto h = provenance.find("hyperparameters");
  if (h == provenance.end() || !h->is_object()) return "";
  const auto teachers = h->find("teachers");
  if (teachers == h->end() || !teachers->is_array() || teachers->empty()) return "";
  const double weight = get_or(*h, "teacher_weight", 0.0);
  char text[96];
  if (weight == 1.0) std::snprintf(text, sizeof text, ", targets the mean of %zu teachers", teachers->size());
  else std::snprintf(text, sizeof text, ", targets %g × the mean of %zu teachers", weight, teachers->size());
  return text;
}

/** A validation figure as "0.8804"; "refit" for a tools/train --validation 0 run, which held nothing out. */
std::string validation_figure(const nlohmann::json& provenance, const char* key) {
  if (get_or(provenance, "validation_reviews", -1) == 0) return "refit";
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", get_or(provenance, key, -1.0));
  return text;
}

int print_table(const std::vector<std::string>& paths) {
  std::printf("| model | configuration | dtype | size | epochs (best) | training time | threads | validation acc. | validation loss | test acc. |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (const std::string& path : paths) {
    Result<ModelFile> file = read_model_file(path);
    if (!file) {
      std::cerr << "evaluate: " << file.error() << "\n";
      return 1;
    }
    const nlohmann::json p = parse_provenance(file.value().provenance);
    const double seconds = get_or(p, "training_seconds", -1.0);
    std::printf("| `%s` | %s%s%s | %s | %.2f MB | %d (%d) | %.0f s | %d | %s | %s | %.4f |\n",
                base_name(path).c_str(), config_summary(file.value().config).c_str(), embedding_start(p).c_str(),
                distillation(p).c_str(),
                dtype_summary(p).c_str(), file_size(path) / 1e6,
                get_or(p, "epochs", 0), get_or(p, "best_epoch", 0), seconds, get_or(p, "threads", 0),
                validation_figure(p, "validation_accuracy").c_str(), validation_figure(p, "validation_loss").c_str(),
                get_or(p, "test_accuracy", -1.0));
  }
  std::printf("\nCommand lines:\n\n");
  for (const std::string& path : paths) {
    const nlohmann::json p = parse_provenance(read_model_file(path).value().provenance);
    std::printf("- `%s`: `%s`\n", base_name(path).c_str(),
                get_or<std::string>(p, "command_line", "?").c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Evaluates model files on an aclImdb split through the inference Model"};
  std::vector<std::string> paths;
  std::string data_dir = "data/aclImdb", split = "test";
  int threads = 2, limit = 0;
  double check = -1;
  bool table = false, json_output = false;
  std::string save_dir, compare_dir;
  double max_delta = 1e-6;
  app.add_option("models", paths, "model files (.safetensors)")->required();
  app.add_option("--data", data_dir, "aclImdb folder")->capture_default_str();
  app.add_option("--split", split, "train | test")->capture_default_str();
  app.add_option("--threads", threads, "threads (one Model each)")->capture_default_str();
  app.add_option("--limit", limit, "evaluate only every n-th review (n = reviews / limit), for smoke tests");
  app.add_option("--check", check,
                 "fail if a model's accuracy is below its provenance test_accuracy by more than this many points");
  app.add_flag("--table", table, "print a markdown table of the models' provenance and exit (no data needed)");
  app.add_flag("--json", json_output, "print the metrics as one JSON object per model");
  app.add_option("--save-probabilities", save_dir, "write each review's probability to DIR/<model>.<split>.txt");
  app.add_option("--compare-probabilities", compare_dir,
                 "fail if a probability differs from DIR/<model>.<split>.txt by more than --max-delta");
  app.add_option("--max-delta", max_delta, "largest |Δp| --compare-probabilities accepts")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  threads = std::max(1, threads);
  if (table) return print_table(paths);

  const auto read_start = Clock::now();
  Result<std::vector<train::Review>> reviews = train::read_split(data_dir, split);
  if (!reviews) {
    std::cerr << "evaluate: " << reviews.error() << "\n";
    return 1;
  }
  if (limit > 0 && limit < static_cast<int>(reviews.value().size())) {
    std::vector<train::Review> every;
    const std::size_t stride = reviews.value().size() / limit;
    for (std::size_t i = 0; i < reviews.value().size(); i += stride) every.push_back(reviews.value()[i]);
    reviews.value().swap(every);
  }
  const std::vector<train::Review>& data = reviews.value();
  std::vector<float> labels;
  for (const train::Review& review : data) labels.push_back(static_cast<float>(review.label));
  const double read_seconds = std::chrono::duration<double>(Clock::now() - read_start).count();

  int failures = 0;
  for (const std::string& path : paths) {
    Result<ModelFile> file = read_model_file(path);
    if (!file) {
      std::cerr << "evaluate: " << file.error() << "\n";
      ++failures;
      continue;
    }
    const ModelFile& m = file.value();
    // Text → tokens → ids → probability, all through the core, as in the browser.
    const auto start = Clock::now();
    Result<std::vector<float>> predicted = tools::review_probabilities(m, data, threads);
    if (!predicted) {
      std::cerr << "evaluate: " << path << ": " << predicted.error() << "\n";
      ++failures;
      continue;
    }
    const std::vector<float>& probabilities = predicted.value();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const train::BinaryMetrics r = train::binary_metrics(probabilities, labels);
    const nlohmann::json provenance = parse_provenance(m.provenance);
    const double recorded = get_or(provenance, "test_accuracy", -1.0);

    if (json_output) {
      nlohmann::json out = {{"model", path}, {"split", split}, {"reviews", data.size()},
                            {"accuracy", r.accuracy}, {"precision", r.precision}, {"recall", r.recall},
                            {"f1", r.f1}, {"roc_auc", r.roc_auc}, {"loss", r.loss},
                            {"confusion", {{"tp", r.true_positive}, {"fp", r.false_positive},
                                           {"tn", r.true_negative}, {"fn", r.false_negative}}},
                            {"seconds", seconds}, {"reviews_per_second", data.size() / seconds},
                            {"threads", threads}, {"recorded_test_accuracy", recorded}};
      std::printf("%s\n", out.dump().c_str());
    } else {
      std::printf("%s  (%s, %.2f MB)\n", path.c_str(), config_summary(m.config).c_str(),
                  file_size(path) / 1e6);
      std::printf("  split %s: %zu reviews (read in %.1f s)\n", split.c_str(), data.size(), read_seconds);
      std::printf("  accuracy  %.4f   (recorded in provenance: %.4f)\n", r.accuracy, recorded);
      std::printf("  precision %.4f   recall %.4f   F1 %.4f\n", r.precision, r.recall, r.f1);
      std::printf("  ROC-AUC   %.4f   log loss %.4f\n", r.roc_auc, r.loss);
      std::printf("  confusion matrix    predicted neg  predicted pos\n");
      std::printf("    actual neg        %13lld  %13lld\n", r.true_negative, r.false_positive);
      std::printf("    actual pos        %13lld  %13lld\n", r.false_negative, r.true_positive);
      std::printf("  speed     %.0f reviews/s (%d threads, tokenizing included; %.1f s)\n",
                  data.size() / seconds, threads, seconds);
    }
    if (!save_dir.empty()) {
      const std::string out = probabilities_path(save_dir, path, split);
      if (!tools::write_probability_file(out, probabilities)) {
        std::cerr << "evaluate: cannot write " << out << "\n";
        ++failures;
      }
    }
    if (!compare_dir.empty()) {
      bool missing = false;
      const std::string stored = probabilities_path(compare_dir, path, split);
      const std::string error = compare_probabilities(stored, probabilities, labels, max_delta, missing);
      if (missing) {
        std::printf("  no stored probabilities (%s): not compared\n", stored.c_str());
      } else if (!error.empty()) {
        std::printf("  CHECK FAILED: %s\n", error.c_str());
        ++failures;
      }
    }
    if (check >= 0) {
      if (recorded < 0) {
        std::printf("  CHECK FAILED: %s records no test_accuracy\n", path.c_str());
        ++failures;
      } else if (r.accuracy < recorded - check / 100.0) {
        std::printf("  CHECK FAILED: accuracy %.4f is more than %.2f points below the recorded %.4f\n",
                    r.accuracy, check, recorded);
        ++failures;
      } else {
        std::printf("  check passed: %.4f >= %.4f - %.2f points\n", r.accuracy, recorded, check);
      }
    }
    std::fflush(stdout);
  }
  return failures ? 1 : 0;
}
