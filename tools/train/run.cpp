#include "run.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <numeric>
#include <random>
#include <vector>

#include "io/model_file.h"
#include "predict.h"
#include "progress.h"
#include "train/initialize.h"
#include "train/metrics.h"
#include "train/network.h"
#include "train/optimizer.h"
#include "train/word_vectors.h"

namespace unroll::trainer {

Result<ModelWeights> initial_weights(const Options& options, const ModelConfig& config, const TrainingData& data) {
  ModelWeights weights = train::random_weights(config, options.seed);
  if (!options.embedding_init.empty()) {
    Result<int> found = train::load_word_vectors(options.embedding_init, data.vocabulary, weights.embedding,
                                                 options.embedding_init_rms);
    if (!found) return Error{found.error()};
    std::fprintf(stderr, "embedding: %d of %d words from %s\n", found.value(),
                 data.vocabulary.size() - Vocabulary::kFirstWord, options.embedding_init.c_str());
  }
  return weights;
}

TrainedModel train_model(const Options& options, const ModelConfig& config, const TrainingData& data,
                         ModelWeights weights) {
  TrainedModel out{weights};
  ModelWeights averaged = weights;  // --ema: the moving average, what is validated and kept
  train::Adam adam(weights, static_cast<float>(options.learning_rate), 0.9f, 0.999f, 1e-7f, options.weight_decay);
  std::vector<std::unique_ptr<train::Network>> networks;
  std::vector<ModelWeights> grads;
  for (int w = 0; w < options.threads; ++w) {
    networks.push_back(std::make_unique<train::Network>(config));
    grads.push_back(ModelWeights::zeros(config));
  }

  std::mt19937 rng(options.seed + 1);
  std::mt19937 word_rng(options.seed + 2);  // its own stream: --word-dropout 0 leaves every other draw as before
  std::vector<std::int32_t> dropped_words;
  int since_best = 0;
  std::vector<int> order(data.train.count());
  std::iota(order.begin(), order.end(), 0);
  std::vector<int> lengths(data.train.count());  // words (non-padding ids) per training example
  for (int i = 0; i < data.train.count(); ++i)
    lengths[i] = static_cast<int>(std::count_if(data.train.row(i), data.train.row(i) + data.train.steps,
                                                [](std::int32_t id) { return id != Vocabulary::kPadding; }));

  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    const auto epoch_start = Clock::now();
    std::shuffle(order.begin(), order.end(), rng);
    if (config.mask_padding && options.bucket > 1)
      train::bucket_by_length(order, lengths, options.batch_size, options.bucket, rng);
    Progress progress(epoch, options.epochs, data.train.count());
    double loss_sum = 0;
    long long correct = 0, seen = 0;
    std::vector<const std::int32_t*> rows(options.batch_size);
    std::vector<float> labels(options.batch_size), probabilities(options.batch_size);
    std::vector<double> losses(options.threads);
    for (int first = 0; first < data.train.count(); first += options.batch_size) {
      const int count = std::min(options.batch_size, data.train.count() - first);
      for (int i = 0; i < count; ++i) {
        rows[i] = data.train.row(order[first + i]);
        labels[i] = data.train.labels[order[first + i]];
      }
      if (options.word_dropout > 0.0f) {
        train::drop_words(rows.data(), count, data.train.steps, options.word_dropout, word_rng, dropped_words);
        for (int i = 0; i < count; ++i) rows[i] = dropped_words.data() + static_cast<std::size_t>(i) * data.train.steps;
      }
      // A masked model runs the batch on the steps that hold a word in some review: the others
      // would change no state and no gradient.
      const train::StepWindow window = train::batch_window(config, rows.data(), count, data.train.steps);
      const train::DropoutMasks masks = train::DropoutMasks::sample(config, count, options.dropout, rng);
      parallel_slices(options.threads, count, [&](int w, int begin, int end) {
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
      const int used = options.threads <= 1 || count < 2 * options.threads ? 1 : options.threads;
      for (int w = 1; w < used; ++w) train::add(grads[0], grads[w]);
      for (int w = 0; w < used; ++w) loss_sum += losses[w];
      train::clip_global_norm(grads[0], options.clip);
      adam.step(weights, grads[0]);
      if (options.ema > 0.0f) train::ema_update(averaged, weights, options.ema, adam.steps());
      for (int i = 0; i < count; ++i) correct += (probabilities[i] >= 0.5f) == (labels[i] >= 0.5f);
      seen += count;
      progress.update(static_cast<int>(seen), loss_sum / seen, static_cast<double>(correct) / seen);
    }
    progress.finish();
    const double epoch_seconds = seconds_since(epoch_start);
    out.train_seconds += epoch_seconds;

    const ModelWeights& candidate = options.ema > 0.0f ? averaged : weights;
    ++out.epochs_run;
    nlohmann::json record = {{"epoch", epoch},
                             {"loss", loss_sum / seen},
                             {"accuracy", static_cast<double>(correct) / seen},
                             {"seconds", epoch_seconds}};
    // --validation 0 (a refit on every training review) has nothing to select on: the last epoch is kept.
    bool improved = true;
    if (data.validation.count() > 0) {
      const std::vector<float> validation_p = predict_batched(config, candidate, data.validation, 256, networks);
      const train::BinaryMetrics validation = train::binary_metrics(validation_p, data.validation.labels);
      improved = options.select == "loss" ? out.best_epoch == 0 || validation.loss < out.best_loss
                                          : validation.accuracy > out.best_accuracy;
      std::fprintf(stderr,
                   "epoch %d: loss %.4f acc %.4f | val_loss %.4f val_acc %.4f | %.1f s, %.0f reviews/s%s\n",
                   epoch, loss_sum / seen, static_cast<double>(correct) / seen, validation.loss,
                   validation.accuracy, epoch_seconds, seen / epoch_seconds, improved ? "  (best)" : "");
      record["val_loss"] = validation.loss;
      record["val_accuracy"] = validation.accuracy;
      if (improved) {
        out.best_accuracy = validation.accuracy;
        out.best_loss = validation.loss;
      }
    } else {
      std::fprintf(stderr, "epoch %d: loss %.4f acc %.4f | no validation | %.1f s, %.0f reviews/s\n", epoch,
                   loss_sum / seen, static_cast<double>(correct) / seen, epoch_seconds, seen / epoch_seconds);
    }
    out.history.push_back(record);
    if (improved) {
      out.best_epoch = epoch;
      out.best = candidate;
      since_best = 0;
      // A usable file after every improvement, so that a long run can be stopped at any time.
      if (!options.checkpoint.empty()) write_model_file(options.checkpoint, ModelFile{config, out.best, data.vocabulary, "{}"}, DType::F32);
    } else if (options.patience > 0 && ++since_best >= options.patience) {
      std::fprintf(stderr, "no better validation %s for %d epochs: stopping\n", options.select.c_str(), options.patience);
      break;
    }
  }

  return out;
}

}  // namespace unroll::trainer
