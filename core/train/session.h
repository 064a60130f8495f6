#pragma once
// A training run stepped one mini-batch at a time: what tools/train does in its epoch loop with
// --threads 1, held in an object so that a caller with its own event loop (the in-browser trainer
// in a Web Worker, wasm/trainer/) can run a few batches, report progress, pause and resume.
// Same seed, same data, same recipe: the same steps natively and in WebAssembly. Its random draws
// (initial weights, validation split, shuffling, dropout) come from train/portable_random.h
// because the standard library's distributions differ between libstdc++ and Emscripten's libc++;
// tools/train draws through those, so the two take statistically equivalent but not identical
// runs (same recipe, same initialisers, same order of draws).

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "nn/config.h"
#include "nn/weights.h"
#include "train/data_file.h"
#include "train/dataset.h"
#include "train/metrics.h"
#include "train/network.h"
#include "train/optimizer.h"
#include "train/portable_random.h"
#include "util/result.h"

namespace unroll::train {

/** The hyper-parameters; the defaults are the tutorial's (and tools/train's). */
struct Recipe {
  CellType cell = CellType::SimpleRnn;
  int embedding_dim = 100;
  int units = 64;
  int layers = 2;
  bool bidirectional = false;
  bool mask_padding = false;
  float dropout = 0.2f;          // on the recurrent layers' inputs, as Keras' SimpleRNN(dropout=)
  double learning_rate = 1e-3;   // Adam (β1 0.9, β2 0.999, ε 1e-7)
  double clip = 5.0;             // global gradient norm (0: off), as tools/train --clip
  int batch = 128;
  double validation = 0.1;       // stratified fraction of the training split held out
  unsigned seed = 42;
};

/** What one step did. */
struct StepReport {
  double loss = 0;  // mean binary cross-entropy of the batch
  int count = 0;    // reviews in the batch
  int correct = 0;  // of them, classified right (before the update)
  int epoch = 0;    // 1-based epoch the batch belonged to
  int batch = 0;    // 1-based index of the batch in its epoch
  bool epoch_end = false;  // it was the last batch of its epoch
  // Gradients through time: for each layer·direction (row) and time step t of the padded sequence
  // (column), the batch mean of ‖∂loss/∂h_t‖ (RecurrentPass::state_gradient_norms); 0 at the steps
  // a masked batch did not run. [layers·directions × maxlen], row-major.
  std::vector<float> gradient_norms;
};

class Session {
 public:
  /**
   * Checks the recipe against the data (which must hold a "train" split; "test" is optional) and
   * makes the initial weights (portable_random_weights with the recipe's seed).
   */
  static Result<std::unique_ptr<Session>> create(const Recipe& recipe, TrainingData data);

  /**
   * Runs the next mini-batch: forward, backward, clipping, Adam. The first batch of an epoch
   * reshuffles the training reviews. The epoch's last batch may be smaller.
   */
  StepReport step();

  /** Metrics of the current weights on "train", "validation" or "test" (no dropout). */
  Result<BinaryMetrics> evaluate(const std::string& split) const;

  /** The current weights as a model file (F32, docs/model-format.md) with this provenance. */
  std::string export_model(const std::string& provenance_json) const;

  const ModelConfig& config() const { return config_; }
  const ModelWeights& weights() const { return weights_; }
  const Recipe& recipe() const { return recipe_; }
  const TrainingData& data() const { return data_; }
  int batches_per_epoch() const { return (train_.count() + recipe_.batch - 1) / recipe_.batch; }
  int train_count() const { return train_.count(); }
  int validation_count() const { return validation_.count(); }
  int test_count() const { return test_.count(); }
  /** Epochs finished so far, and batches run of the current one. */
  int epochs_done() const { return epochs_done_; }
  int batch_in_epoch() const { return next_ / recipe_.batch; }

 private:
  Session(const Recipe& recipe, TrainingData data, const ModelConfig& config);
  const Examples* examples(const std::string& split) const;

  Recipe recipe_;
  TrainingData data_;
  ModelConfig config_;
  Examples train_, validation_, test_;
  ModelWeights weights_, grad_;
  Adam adam_;
  mutable Network network_;  // scratch buffers only; evaluate() is logically const
  PortableRandom rng_;
  std::vector<int> order_;
  int next_ = 0;  // first review (index into order_) of the next batch
  int epochs_done_ = 0;
  std::vector<const std::int32_t*> rows_;
  std::vector<float> labels_, probabilities_;
};

}  // namespace unroll::train
