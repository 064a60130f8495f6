#pragma once
// All trainable parameters, in Keras' layout (x·W, not W·x). docs/model-format.md maps them to
// PyTorch's layout and to tensor names in the model file.

#include <vector>

#include "nn/config.h"
#include "nn/tensor.h"

namespace unroll {

/**
 * One direction of one recurrent layer. G = gate_count(cell); gates are fused column blocks:
 *
 *          SimpleRNN      LSTM                 GRU
 *   cols   [ h ]          [ i | f | c | o ]    [ z | r | n ]
 *
 * pre-activation of step t (row vectors):  x_t·kernel + h_{t-1}·recurrent_kernel + bias
 * except GRU's n block, where the reset gate scales the recurrent part:
 *   n = tanh(x_t·W_n + bias_n + r ⊙ (h_{t-1}·U_n + recurrent_bias_n))      (Keras reset_after=True)
 */
struct RecurrentWeights {
  Matrix kernel;            // [input_dim × G·units]
  Matrix recurrent_kernel;  // [units × G·units]
  Vector bias;              // [G·units]
  Vector recurrent_bias;    // [G·units] GRU only; empty for SimpleRNN and LSTM
};

struct ModelWeights {
  Matrix embedding;                    // [vocab_size × embedding_dim]
  std::vector<RecurrentWeights> rnn;   // [layers · directions], index layer·directions + direction
  Vector head_kernel;                  // [head_dim]  (file: [head_dim × 1])
  float head_bias = 0.0f;              // (file: [1])

  /** Zero-filled weights of the right shapes for a configuration. */
  static ModelWeights zeros(const ModelConfig& config);
  /** Empty if every shape matches `config`, else a message naming the first wrong tensor. */
  Status check_shapes(const ModelConfig& config) const;
};

}  // namespace unroll
