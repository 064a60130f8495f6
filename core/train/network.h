#pragma once
// The training forward and backward pass of the whole network (embedding → stacked, optionally
// bidirectional recurrent layers → dense + sigmoid) over a mini-batch. The math is the inference
// Model's (core/nn/model.h); this version keeps every intermediate value for backpropagation and
// runs the batch as matrices. One Network per thread: it owns its scratch buffers.

#include <cstdint>
#include <random>
#include <vector>

#include "nn/config.h"
#include "nn/tensor.h"
#include "nn/weights.h"
#include "train/recurrent_pass.h"

namespace unroll::train {

/**
 * Dropout on the recurrent layers' inputs, as Keras' `SimpleRNN(dropout=p)` / `LSTM(dropout=p)`:
 * one mask per sequence and layer direction, the same at every time step. masks[layer·directions
 * + direction] is [batch × input_dim(layer)], each entry 0 (dropped) or 1/(1-p).
 */
struct DropoutMasks {
  std::vector<Matrix> masks;
  /** Fresh masks for `batch` sequences (empty when `rate` is 0: no dropout). */
  static DropoutMasks sample(const ModelConfig& config, int batch, float rate, std::mt19937& rng);
};

/** A mini-batch: `count` sequences of `steps` ids (sequence-major: ids[b·steps + t]). */
struct BatchView {
  const std::int32_t* const* sequences = nullptr;  // [count] pointers to `steps` ids each
  const float* labels = nullptr;                   // [count], 0 or 1
  int count = 0;
  int steps = 0;
  const DropoutMasks* dropout = nullptr;  // none: no dropout (evaluation)
  int dropout_row = 0;                    // row of the masks that belongs to sequence 0
};

class Network {
 public:
  explicit Network(const ModelConfig& config) : config_(config) {}

  /**
   * Forward pass; with `grad`, also the backward pass, adding dLoss/dθ · `loss_scale` into it
   * (Loss = sum of the batch's binary cross-entropies; pass 1/N to average over a batch of N that
   * may be split across threads). Writes each sequence's probability into `probabilities` when
   * given, and returns the summed (unscaled) loss.
   */
  double run(const ModelWeights& weights, const BatchView& batch, ModelWeights* grad,
             float loss_scale, float* probabilities);

  /** RecurrentPass::state_gradient_norms() of one layer and direction, from the last backward. */
  const std::vector<float>& state_gradient_norms(int layer, int direction) const {
    return passes_[layer * config_.directions() + direction].state_gradient_norms();
  }

 private:
  /** head_input_ = the top layer's output `top` pooled over the steps read (config_.pooling). */
  void pool(const Matrix& top, int count, int steps, const Vector* words);
  /** d_outputs_ from d_logits_ through pool(): the mean's share of every step, or the max's step. */
  void pool_gradient(const Vector& head_kernel, int count, int steps, const Vector* words);

  ModelConfig config_;
  Matrix embedded_;                    // [steps·batch × embedding_dim], time-major rows t·batch + b
  std::vector<Matrix> inputs_;         // per layer·direction: what the pass reads (masked)
  std::vector<Matrix> outputs_;        // per layer: [steps·batch × units·directions]
  std::vector<RecurrentPass> passes_;  // per layer·direction
  std::vector<std::int32_t> ids_;      // [steps·batch] time-major
  Vector words_;                       // [steps·batch] time-major: 1 word, 0 padding (masked models)
  Matrix head_input_;                  // [batch × head_dim]
  Vector logits_, d_logits_;           // [batch]
  Vector step_counts_;                 // [batch] steps pooled per review (mean pooling)
  std::vector<int> argmax_;            // [batch × head_dim] step of each column's maximum (max pooling)
  std::vector<Matrix> d_outputs_;      // per direction of the layer being differentiated
  Matrix d_x_, d_below_;
};

}  // namespace unroll::train
