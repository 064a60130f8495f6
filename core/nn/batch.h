#pragma once
// Batched inference: many reviews of equal length at once. Each time step runs the whole batch
// through one matrix-matrix product ([batch × units]·[units × G·units]) instead of one
// vector-matrix product per review, so the recurrent weights are read once per step for the
// whole batch. Same equations as Model::logit (docs/model-format.md); results agree to ~1e-6.

#include <vector>

#include "nn/model.h"
#include "nn/tensor.h"

namespace unroll {

/**
 * Runs a Model over batches of id sequences. Buffers are sized by the first call for a given
 * (chunk, steps) and reused: no allocation per time step, none at all once warmed up.
 * Reviews are processed in chunks of at most `max_chunk` (fewer if a stacked model's
 * between-layer sequence would exceed ~32 MB), which bounds memory for any batch size: besides
 * its own copy of layer 0's input table (embedding·W per direction, as Model keeps, when
 * vocab·G·units ≤ 2^23 floats), the runner holds at most ~64 MB of scratch; W and U it reads as
 * the Model's layers packed them for the kernels (Model::layer).
 * In wasm SIMD builds the products use a register-blocked wasm_simd128 kernel (core/kernels);
 * elsewhere Eigen's GEMM.
 * Not thread-safe: one BatchRunner per thread. The Model must outlive the runner; the runner
 * only reads it (weights, the layers' packed weights, configuration).
 */
class BatchRunner {
 public:
  explicit BatchRunner(const Model& model, int max_chunk = 256);

  /**
   * Logits of `batch` sequences of `steps` ids each: ids[b·steps + t] is step t of review b
   * (already padded/truncated, e.g. by make_sequence; ids outside [0, vocab) read as
   * out-of-vocabulary). Writes logits[0..batch). steps = 0 gives the head applied to h_0 = 0.
   * For a model with mask_padding no padding id is run (as in Model::logit): reviews are grouped
   * by their count of other ids, and each group runs as a batch of that many steps.
   */
  void logits(const int* ids, int batch, int steps, float* logits);
  /** sigmoid(logits): the probability of the positive class per review. */
  void predict(const int* ids, int batch, int steps, float* probabilities);

  /** Reviews per internal pass for sequences of `steps` ids. */
  int chunk_size(int steps) const;

 private:
  /** logits() of a masked model: reviews grouped by length, padding left out. */
  void masked_logits(const int* ids, int batch, int steps, float* out);
  /** logits() of reviews that all run `steps` steps, chunk by chunk. */
  void equal_length_logits(const int* ids, int batch, int steps, float* out);
  /** One chunk of `n` reviews (ids[b·steps + t]), logits into out[0..n). */
  void run_chunk(const int* ids, int n, int steps, float* out);
  /**
   * One direction of one layer over the chunk. Reads layer 0's words from `ids` or the layer
   * below from `below` ([steps·n × input_dim], row t·n + b); writes h_t into `sequence` columns
   * [column, column + units) (row t·n + b) when `sequence` is given, else only keeps the final
   * state in final_ columns [column, column + units).
   */
  void run_direction(int layer, int direction, const int* ids, int n, int steps,
                     const Matrix* below, Matrix* sequence, int column);
  void ensure(int n, int steps);
  /** Pooled heads: folds the top layer's h_t [n × units] into final_ columns [column, column + units). */
  void pool_step(const float* h, int n, int column, bool first);

  const Model& model_;
  const ModelConfig& config_;
  int max_chunk_;
  std::vector<Matrix> input_tables_;  // per direction [vocab × G·units] embedding·W (no bias), if small
  Matrix sequence_[2];  // [steps·n × units·directions] outputs of layers below the top (ping-pong)
  Matrix state_[2];     // [n × units] top layer's h_{t-1} / h_t (ping-pong)
  Matrix final_;        // [n × units·directions] what the head reads (final or pooled states)
  Matrix input_part_;   // [n × G·units] x_t·W of one step (layers above 0, or no input table)
  Matrix sequence_input_;  // [steps·n × G·units] x_t·W of every step (layers above 0, if it fits)
  Matrix embedded_;     // [n × embedding_dim] gathered embeddings when there is no input table
  Matrix recurrent_;    // [n × G·units] h_{t-1}·U
  Matrix gates_;        // [n × G·units] activated gates
  Matrix cell_;         // [n × units] LSTM c_t
  std::vector<const float*> rows_;  // [n] per review: its x_t·W row for this step
  std::vector<int> lengths_, order_;  // masked models: steps per review; reviews by length
  std::vector<int> grouped_;          // masked models: one group's ids without padding
  std::vector<float> group_logits_;   // masked models: one group's logits
};

}  // namespace unroll
