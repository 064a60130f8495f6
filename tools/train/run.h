#pragma once
// tools/train's training run: mini-batches across threads, Adam, validation after each epoch, the
// best epoch kept. A refit (--validation 0) has no validation: it runs --epochs and keeps the last.
//
// Mini-batches are split across --threads workers: each computes the gradient of its share of the
// batch with its own train::Network; the main thread sums them in a fixed order, clips and takes
// the Adam step. With the same seed and thread count two runs give identical weights.

#include <nlohmann/json.hpp>

#include "data.h"
#include "nn/config.h"
#include "nn/weights.h"
#include "options.h"

namespace unroll::trainer {

struct TrainedModel {
  ModelWeights best;             // the weights of the best (a refit: the last) epoch; the moving average with --ema
  nlohmann::json history = nlohmann::json::array();  // per epoch: loss, accuracy, validation
  int best_epoch = 0;
  int epochs_run = 0;
  double best_accuracy = -1;     // validation
  double best_loss = 0;          // validation
  double train_seconds = 0;
};

/** Keras' initialisation, the embedding overwritten by --embedding-init's vectors if given. */
Result<ModelWeights> initial_weights(const Options& options, const ModelConfig& config, const TrainingData& data);

/** Trains from `weights` for the options' epochs (or until --patience runs out). */
TrainedModel train_model(const Options& options, const ModelConfig& config, const TrainingData& data,
                         ModelWeights weights);

}  // namespace unroll::trainer
