// Trains a recurrent sentiment classifier on the IMDB reviews (aclImdb/ layout) and writes a model
// file (docs/model-format.md) with its vocabulary and provenance. See docs/training.md.
//
//   build/native-release/tools/train --data data/aclImdb --output models/seed-rnn.safetensors
//
// Mini-batches are split across --threads workers: each computes the gradient of its share of the
// batch with its own train::Network; the main thread sums them in a fixed order, clips and takes
// the Adam step. With the same seed and thread count two runs give identical weights.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "io/model_file.h"
#include "nn/model.h"
#include "text/tokenizer.h"
#include "train/dataset.h"
#include "train/metrics.h"
#include "train/network.h"
#include "train/optimizer.h"

using namespace unroll;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string format_duration(double seconds) {
  char text[32];
  const int s = static_cast<int>(std::lround(seconds));
  if (s >= 3600) std::snprintf(text, sizeof text, "%dh%02dm", s / 3600, s / 60 % 60);
  else std::snprintf(text, sizeof text, "%d:%02d", s / 60, s % 60);
  return text;
}

/** sha256sum of a file, or "" if it cannot be read. */
std::string sha256_of(const std::string& path) {
  const std::string command = "sha256sum '" + path + "' 2>/dev/null";
  std::FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return "";
  char buffer[128] = {0};
  std::string out;
  if (std::fgets(buffer, sizeof buffer, pipe)) out = buffer;
  pclose(pipe);
  const std::size_t space = out.find(' ');
  return space == 64 ? out.substr(0, 64) : "";
}

/** One line of progress per epoch: a bar redrawn in place on a terminal, every 10% otherwise. */
class Progress {
 public:
  Progress(int epoch, int epochs, int total)
      : epoch_(epoch), epochs_(epochs), total_(total), tty_(isatty(2)), start_(Clock::now()) {}
  void update(int done, double loss, double accuracy) {
    const double elapsed = seconds_since(start_);
    const double rate = elapsed > 0 ? done / elapsed : 0;
    const double eta = rate > 0 ? (total_ - done) / rate : 0;
    const int percent = total_ ? 100 * done / total_ : 100;
    if (!tty_ && percent < next_percent_ && done < total_) return;
    next_percent_ = percent / 10 * 10 + 10;
    constexpr int kWidth = 30;
    const int filled = total_ ? kWidth * done / total_ : kWidth;
    std::string bar(filled, '=');
    if (filled < kWidth) bar += '>' + std::string(kWidth - filled - 1, ' ');
    std::fprintf(stderr, "%sepoch %d/%d [%s] %3d%% %d/%d  %.0f reviews/s  ETA %s  loss %.4f  acc %.4f%s",
                 tty_ ? "\r" : "", epoch_, epochs_, bar.c_str(), percent, done, total_, rate,
                 format_duration(eta).c_str(), loss, accuracy, tty_ ? "" : "\n");
    std::fflush(stderr);
  }
  void finish() {
    if (tty_) std::fprintf(stderr, "\n");
  }

 private:
  int epoch_, epochs_, total_;
  bool tty_;
  Clock::time_point start_;
  int next_percent_ = 0;
};

/** Runs fn(worker, begin, end) on `threads` contiguous slices of [0, count), in parallel. */
template <class F>
void parallel_slices(int threads, int count, F fn) {
  if (threads <= 1 || count < 2 * threads) {
    fn(0, 0, count);
    return;
  }
  std::vector<std::thread> workers;
  for (int w = 1; w < threads; ++w) {
    const int begin = count * w / threads, end = count * (w + 1) / threads;
    workers.emplace_back([&fn, w, begin, end] { fn(w, begin, end); });
  }
  fn(0, 0, count / threads);
  for (std::thread& worker : workers) worker.join();
}

/** Batched probabilities of the training network (no dropout), for validation. */
std::vector<float> predict_batched(const ModelConfig& config, const ModelWeights& weights,
                                   const train::Examples& data, int batch_size,
                                   std::vector<std::unique_ptr<train::Network>>& networks) {
  const int threads = static_cast<int>(networks.size());
  std::vector<float> probabilities(data.count());
  parallel_slices(threads, data.count(), [&](int w, int begin, int end) {
    std::vector<const std::int32_t*> rows;
    for (int first = begin; first < end; first += batch_size) {
      const int count = std::min(batch_size, end - first);
      rows.clear();
      for (int i = first; i < first + count; ++i) rows.push_back(data.row(i));
      train::StepWindow window{0, data.steps};
      if (config.mask_padding) {  // as in training: only the steps that hold a word
        window = train::word_window(rows.data(), count, data.steps);
        for (const std::int32_t*& row : rows) row += window.first;
      }
      train::BatchView view;
      view.sequences = rows.data();
      view.labels = data.labels.data() + first;
      view.count = count;
      view.steps = window.end - window.first;
      networks[w]->run(weights, view, nullptr, 1.0f, probabilities.data() + first);
    }
  });
  return probabilities;
}

/** Probabilities from the inference Model (one per thread), on id sequences. */
std::vector<float> predict_with_model(const ModelConfig& config, const ModelWeights& weights,
                                      const Vocabulary& vocabulary,
                                      const std::vector<std::vector<int>>& sequences, int threads) {
  std::vector<float> probabilities(sequences.size());
  parallel_slices(threads, static_cast<int>(sequences.size()), [&](int, int begin, int end) {
    Model model = std::move(Model::create(config, weights, vocabulary)).value();
    for (int i = begin; i < end; ++i) probabilities[i] = model.predict(sequences[i]);
  });
  return probabilities;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Trains an IMDB sentiment RNN and writes a model file (docs/model-format.md)"};
  std::string data_dir = "data/aclImdb", output, archive = "../shared/data/aclImdb_labeled.tar.gz";
  std::string cell_name = "simple_rnn", padding = "pre", truncating = "pre", dtype_name = "auto";
  std::string select = "accuracy";
  int vocab_size = 10000, maxlen = 80, embedding_dim = 100, units = 64, layers = 2;
  std::string checkpoint;
  bool bidirectional = false, no_start_token = false, skip_test = false, mask_padding = false;
  float dropout = 0.2f, word_dropout = 0.0f, weight_decay = 0.0f, ema = 0.0f;
  double learning_rate = 1e-3;
  double clip = 5.0, validation_fraction = 0.1;
  int batch_size = 128, epochs = 4, patience = 0, threads = 2, limit = 0, validation_block = 0;
  int bucket = 0;
  unsigned seed = 42;
  app.add_option("--data", data_dir, "aclImdb folder (scripts/extract-data.sh puts it in data/)")->capture_default_str();
  app.add_option("--archive", archive, "archive the data came from, for the provenance checksum")->capture_default_str();
  app.add_option("-o,--output", output, "model file to write")->required();
  app.add_option("--cell", cell_name, "simple_rnn | lstm | gru")->capture_default_str();
  app.add_option("--vocab-size", vocab_size, "embedding rows, the 3 reserved ids included")->capture_default_str();
  app.add_option("--maxlen", maxlen, "sequence length")->capture_default_str();
  app.add_option("--padding", padding, "pre | post")->capture_default_str();
  app.add_option("--truncating", truncating, "pre | post")->capture_default_str();
  app.add_flag("--no-start-token", no_start_token, "do not prepend the start id");
  app.add_option("--embedding", embedding_dim, "embedding width")->capture_default_str();
  app.add_option("--units", units, "units per recurrent layer and direction")->capture_default_str();
  app.add_option("--layers", layers, "stacked recurrent layers")->capture_default_str();
  app.add_flag("--bidirectional", bidirectional, "bidirectional recurrent layers");
  app.add_flag("--mask-padding", mask_padding,
               "Keras mask_zero: padding steps leave the state unchanged (the model reads only the words)");
  app.add_option("--dropout", dropout, "dropout on the recurrent layers' inputs")->capture_default_str();
  app.add_option("--bucket", bucket,
                 "with --mask-padding: batch reviews of similar length, sorting pools of this many batches (0: off)")
      ->capture_default_str();
  app.add_option("--word-dropout", word_dropout, "replace each training word by the out-of-vocabulary id with this probability")->capture_default_str();
  app.add_option("--weight-decay", weight_decay, "decoupled (AdamW) weight decay of every non-bias weight")->capture_default_str();
  app.add_option("--ema", ema, "validate and keep an exponential moving average of the weights with this decay (0: off)")->capture_default_str();
  app.add_option("--lr", learning_rate, "Adam learning rate")->capture_default_str();
  app.add_option("--clip", clip, "clip the gradient's global norm to this (0: off)")->capture_default_str();
  app.add_option("--batch", batch_size, "mini-batch size")->capture_default_str();
  app.add_option("--epochs", epochs, "maximum number of epochs")->capture_default_str();
  app.add_option("--patience", patience, "stop after this many epochs without a better validation score (0: never)")->capture_default_str();
  app.add_option("--select", select, "the best epoch is the one with the highest validation accuracy | the lowest validation loss")
      ->check(CLI::IsMember({"accuracy", "loss"}))->capture_default_str();
  app.add_option("--validation", validation_fraction, "stratified fraction of train held out")->capture_default_str();
  app.add_option("--validation-block", validation_block, "hold out whole blocks of this many consecutive review ids per label (a movie's reviews are consecutive; 0: single reviews)")->capture_default_str();
  app.add_option("--seed", seed, "seed for initialisation, split, shuffling and dropout")->capture_default_str();
  app.add_option("--threads", threads, "worker threads")->capture_default_str();
  app.add_option("--dtype", dtype_name, "f32 | f16 | auto (f16 if test accuracy within 0.2 points of f32)")->capture_default_str();
  app.add_option("--limit", limit, "use only this many training reviews (smoke tests)");
  app.add_flag("--skip-test", skip_test, "do not evaluate on the test split");
  app.add_option("--checkpoint", checkpoint, "after every improvement, write the best weights so far here (F32, no provenance)");
  CLI11_PARSE(app, argc, argv);

  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  const auto total_start = Clock::now();
  threads = std::max(1, threads);

  ModelConfig config;
  {
    Result<CellType> cell = parse_cell_type(cell_name);
    Result<Side> pad = parse_side(padding), trunc = parse_side(truncating);
    if (!cell || !pad || !trunc) {
      std::cerr << "train: " << (!cell ? cell.error() : !pad ? pad.error() : trunc.error()) << "\n";
      return 2;
    }
    config.cell = cell.value();
    config.sequence.padding = pad.value();
    config.sequence.truncating = trunc.value();
  }
  config.vocab_size = vocab_size;
  config.embedding_dim = embedding_dim;
  config.units = units;
  config.layers = layers;
  config.bidirectional = bidirectional;
  config.mask_padding = mask_padding;
  config.sequence.maxlen = maxlen;
  config.sequence.start_token = !no_start_token;
  if (Status s = config.validate(); !s || maxlen < 1) {
    std::cerr << "train: " << (s ? "maxlen must be positive" : s.error()) << "\n";
    return 2;
  }

  // Data: the vocabulary comes from the training split only.
  std::cerr << "reading " << data_dir << "/train\n";
  Result<std::vector<train::Review>> train_reviews = train::read_split(data_dir, "train");
  if (!train_reviews) {
    std::cerr << "train: " << train_reviews.error() << "\n";
    return 1;
  }
  std::vector<std::vector<std::string>> train_words = train::tokenize_reviews(train_reviews.value());
  const Vocabulary vocabulary =
      Vocabulary::build(train_words, vocab_size - Vocabulary::kFirstWord);
  if (vocabulary.size() != vocab_size) {
    std::cerr << "train: the training split has only " << vocabulary.words().size() << " distinct words\n";
    return 1;
  }
  const train::Examples all_train =
      train::make_examples(train_words, train_reviews.value(), vocabulary, config.sequence);
  std::vector<int> review_blocks;
  if (validation_block > 0) {
    for (const train::Review& review : train_reviews.value()) {
      if (review.id < 0) {
        std::cerr << "train: --validation-block needs aclImdb's <id>_<rating>.txt file names\n";
        return 2;
      }
      review_blocks.push_back(review.id / validation_block);
    }
  }
  train_words.clear();
  train_words.shrink_to_fit();
  train_reviews.value().clear();

  std::vector<int> train_rows, validation_rows;
  if (validation_block > 0)
    train::grouped_split(all_train.labels, review_blocks, validation_fraction, seed, train_rows, validation_rows);
  else
    train::stratified_split(all_train.labels, validation_fraction, seed, train_rows, validation_rows);
  if (limit > 0 && limit < static_cast<int>(train_rows.size())) {
    std::mt19937 pick(seed);
    std::shuffle(train_rows.begin(), train_rows.end(), pick);
    train_rows.resize(limit);
    std::sort(train_rows.begin(), train_rows.end());
  }
  const train::Examples train_set = train::select(all_train, train_rows);
  const train::Examples validation_set = train::select(all_train, validation_rows);
  std::cerr << "vocabulary " << vocabulary.size() << " ids; " << train_set.count() << " training, "
            << validation_set.count() << " validation reviews; " << threads << " threads\n";

  // Model and optimiser.
  ModelWeights weights = ModelWeights::random(config, seed);
  ModelWeights best = weights;
  ModelWeights averaged = weights;  // --ema: the moving average, what is validated and kept
  train::Adam adam(weights, static_cast<float>(learning_rate), 0.9f, 0.999f, 1e-7f, weight_decay);
  std::vector<std::unique_ptr<train::Network>> networks;
  std::vector<ModelWeights> grads;
  for (int w = 0; w < threads; ++w) {
    networks.push_back(std::make_unique<train::Network>(config));
    grads.push_back(ModelWeights::zeros(config));
  }

  nlohmann::json history = nlohmann::json::array();
  std::mt19937 rng(seed + 1);
  std::mt19937 word_rng(seed + 2);  // its own stream: --word-dropout 0 leaves every other draw as before
  std::vector<std::int32_t> dropped_words;
  double best_accuracy = -1, best_loss = 0;
  int best_epoch = 0, epochs_run = 0, since_best = 0;
  double train_seconds = 0;
  std::vector<int> order(train_set.count());
  std::iota(order.begin(), order.end(), 0);
  std::vector<int> lengths(train_set.count());  // words (non-padding ids) per training example
  for (int i = 0; i < train_set.count(); ++i)
    lengths[i] = static_cast<int>(std::count_if(train_set.row(i), train_set.row(i) + train_set.steps,
                                                [](std::int32_t id) { return id != Vocabulary::kPadding; }));

  for (int epoch = 1; epoch <= epochs; ++epoch) {
    const auto epoch_start = Clock::now();
    std::shuffle(order.begin(), order.end(), rng);
    if (config.mask_padding && bucket > 1) train::bucket_by_length(order, lengths, batch_size, bucket, rng);
    Progress progress(epoch, epochs, train_set.count());
    double loss_sum = 0;
    long long correct = 0, seen = 0;
    std::vector<const std::int32_t*> rows(batch_size);
    std::vector<float> labels(batch_size), probabilities(batch_size);
    std::vector<double> losses(threads);
    for (int first = 0; first < train_set.count(); first += batch_size) {
      const int count = std::min(batch_size, train_set.count() - first);
      for (int i = 0; i < count; ++i) {
        rows[i] = train_set.row(order[first + i]);
        labels[i] = train_set.labels[order[first + i]];
      }
      if (word_dropout > 0.0f) {
        train::drop_words(rows.data(), count, train_set.steps, word_dropout, word_rng, dropped_words);
        for (int i = 0; i < count; ++i) rows[i] = dropped_words.data() + static_cast<std::size_t>(i) * train_set.steps;
      }
      // A masked model runs the batch on the steps that hold a word in some review: the others
      // would change no state and no gradient.
      train::StepWindow window{0, train_set.steps};
      if (config.mask_padding) {
        window = train::word_window(rows.data(), count, train_set.steps);
        for (int i = 0; i < count; ++i) rows[i] += window.first;
      }
      const train::DropoutMasks masks = train::DropoutMasks::sample(config, count, dropout, rng);
      parallel_slices(threads, count, [&](int w, int begin, int end) {
        train::set_zero(grads[w]);
        train::BatchView view;
        view.sequences = rows.data() + begin;
        view.labels = labels.data() + begin;
        view.count = end - begin;
        view.steps = window.end - window.first;
        view.dropout = &masks;
        view.dropout_row = begin;
        losses[w] = networks[w]->run(weights, view, &grads[w], 1.0f / count,
                                     probabilities.data() + begin);
      });
      const int used = threads <= 1 || count < 2 * threads ? 1 : threads;
      for (int w = 1; w < used; ++w) train::add(grads[0], grads[w]);
      for (int w = 0; w < used; ++w) loss_sum += losses[w];
      train::clip_global_norm(grads[0], clip);
      adam.step(weights, grads[0]);
      if (ema > 0.0f) train::ema_update(averaged, weights, ema, adam.steps());
      for (int i = 0; i < count; ++i) correct += (probabilities[i] >= 0.5f) == (labels[i] >= 0.5f);
      seen += count;
      progress.update(static_cast<int>(seen), loss_sum / seen, static_cast<double>(correct) / seen);
    }
    progress.finish();
    const double epoch_seconds = seconds_since(epoch_start);
    train_seconds += epoch_seconds;

    const ModelWeights& candidate = ema > 0.0f ? averaged : weights;
    const std::vector<float> validation_p =
        predict_batched(config, candidate, validation_set, 256, networks);
    const train::BinaryMetrics validation = train::binary_metrics(validation_p, validation_set.labels);
    ++epochs_run;
    const bool improved = select == "loss" ? best_epoch == 0 || validation.loss < best_loss
                                           : validation.accuracy > best_accuracy;
    std::fprintf(stderr,
                 "epoch %d: loss %.4f acc %.4f | val_loss %.4f val_acc %.4f | %.1f s, %.0f reviews/s%s\n",
                 epoch, loss_sum / seen, static_cast<double>(correct) / seen, validation.loss,
                 validation.accuracy, epoch_seconds, seen / epoch_seconds, improved ? "  (best)" : "");
    history.push_back({{"epoch", epoch},
                       {"loss", loss_sum / seen},
                       {"accuracy", static_cast<double>(correct) / seen},
                       {"val_loss", validation.loss},
                       {"val_accuracy", validation.accuracy},
                       {"seconds", epoch_seconds}});
    if (improved) {
      best_accuracy = validation.accuracy;
      best_loss = validation.loss;
      best_epoch = epoch;
      best = candidate;
      since_best = 0;
      // A usable file after every improvement, so that a long run can be stopped at any time.
      if (!checkpoint.empty()) write_model_file(checkpoint, ModelFile{config, best, vocabulary, "{}"}, DType::F32);
    } else if (patience > 0 && ++since_best >= patience) {
      std::fprintf(stderr, "no better validation %s for %d epochs: stopping\n", select.c_str(), patience);
      break;
    }
  }

  // Final report on the test split, through the inference Model, for F32 and F16 storage.
  double test_f32 = -1, test_f16 = -1;
  DType dtype = dtype_name == "f16" ? DType::F16 : DType::F32;
  ModelWeights best_f16 = best;
  train::round_to_f16(best_f16);
  if (!skip_test) {
    std::cerr << "evaluating on " << data_dir << "/test\n";
    Result<std::vector<train::Review>> test_reviews = train::read_split(data_dir, "test");
    if (!test_reviews) {
      std::cerr << "train: " << test_reviews.error() << "\n";
      return 1;
    }
    std::vector<std::vector<int>> sequences;
    std::vector<float> test_labels;
    for (const train::Review& review : test_reviews.value()) {
      std::vector<int> ids = make_sequence(tokenize(review.text), vocabulary, config.sequence).ids;
      // A masked model reads the words only: the padding it would skip is not handed to it.
      if (config.mask_padding) ids.erase(std::remove(ids.begin(), ids.end(), int(Vocabulary::kPadding)), ids.end());
      sequences.push_back(std::move(ids));
      test_labels.push_back(static_cast<float>(review.label));
    }
    test_f32 = train::binary_metrics(
                   predict_with_model(config, best, vocabulary, sequences, threads), test_labels)
                   .accuracy;
    test_f16 = train::binary_metrics(
                   predict_with_model(config, best_f16, vocabulary, sequences, threads), test_labels)
                   .accuracy;
    std::fprintf(stderr, "test accuracy: %.4f (f32), %.4f (f16)\n", test_f32, test_f16);
    if (dtype_name == "auto") dtype = std::abs(test_f16 - test_f32) <= 0.002 ? DType::F16 : DType::F32;
  } else if (dtype_name == "auto") {
    dtype = DType::F16;
  }
  const double test_accuracy = dtype == DType::F16 ? test_f16 : test_f32;

  nlohmann::json provenance = {
      {"trainer", "tools/train (Unroll, C++/Eigen)"},
      {"data", {{"archive", archive.substr(archive.find_last_of('/') + 1)}, {"sha256", sha256_of(archive)}}},
      {"command_line", command_line},
      {"seed", seed},
      {"threads", threads},
      {"hyperparameters",
       {{"optimizer", "adam"}, {"learning_rate", learning_rate}, {"batch", batch_size},
        {"dropout", dropout}, {"word_dropout", word_dropout}, {"mask_padding", mask_padding}, {"bucket", bucket}, {"weight_decay", weight_decay}, {"ema", ema},
        {"clip_global_norm", clip}, {"validation_fraction", validation_fraction},
        {"validation_block", validation_block}, {"select", select},
        {"max_epochs", epochs}, {"patience", patience}}},
      {"train_reviews", train_set.count()},
      {"validation_reviews", validation_set.count()},
      {"epochs", epochs_run},
      {"best_epoch", best_epoch},
      {"validation_accuracy", best_accuracy},
      {"validation_loss", best_loss},
      {"test_split", "test"},
      {"test_accuracy", test_accuracy},
      {"test_accuracy_f32", test_f32},
      {"test_accuracy_f16", test_f16},
      {"dtype", to_string(dtype)},
      {"training_seconds", std::round(train_seconds * 10) / 10},
      {"total_seconds", std::round(seconds_since(total_start) * 10) / 10},
      {"history", history}};
  ModelFile file{config, dtype == DType::F16 ? best_f16 : best, vocabulary, provenance.dump()};
  if (Status s = write_model_file(output, file, dtype); !s) {
    std::cerr << "train: " << s.error() << "\n";
    return 1;
  }
  std::fprintf(stderr, "wrote %s (%s, best epoch %d, val_acc %.4f, test_acc %.4f, %.0f s training)\n",
               output.c_str(), to_string(dtype), best_epoch, best_accuracy, test_accuracy, train_seconds);
  return 0;
}
