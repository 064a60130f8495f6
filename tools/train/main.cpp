// Trains a recurrent sentiment classifier on the IMDB reviews (aclImdb/ layout) and writes a model
// file (docs/model-format.md) with its vocabulary and provenance. See docs/training.md.
//
//   build/native-release/tools/train --data data/aclImdb --output models/seed-rnn.safetensors
//
// The parts, in the order they run:
//   options.cpp   the command line → Options, and the ModelConfig they describe
//   data.cpp      the training split → vocabulary, training and validation examples
//   run.cpp       the epochs: mini-batches across threads, Adam, validation, the best epoch kept
//   report.cpp    the test split through the inference Model, provenance, the model file
#include <iostream>

#include "data.h"
#include "options.h"
#include "progress.h"
#include "report.h"
#include "run.h"

using namespace unroll;
using namespace unroll::trainer;

int main(int argc, char** argv) {
  Options options;
  if (const int exit_code = parse_options(argc, argv, options); exit_code >= 0) return exit_code;
  const auto total_start = Clock::now();

  Result<ModelConfig> config = model_config(options);
  if (!config) {
    std::cerr << "train: " << config.error() << "\n";
    return 2;
  }
  Result<TrainingData> data = prepare_data(options, config.value());
  if (!data) {
    std::cerr << "train: " << data.error() << "\n";
    return 1;
  }
  if (!options.write_corpus.empty()) return 0;  // prepare_data wrote it
  Result<ModelWeights> weights = initial_weights(options, config.value(), data.value());
  if (!weights) {
    std::cerr << "train: " << weights.error() << "\n";
    return 1;
  }
  const TrainedModel trained = train_model(options, config.value(), data.value(), std::move(weights.value()));
  if (Status s = write_model(options, config.value(), data.value(), trained, total_start); !s) {
    std::cerr << "train: " << s.error() << "\n";
    return 1;
  }
  return 0;
}
