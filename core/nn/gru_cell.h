#pragma once

#include "nn/recurrent_cell.h"

namespace unroll {

/**
 * GRU as in PyTorch and Keras (reset_after=True), gates in Keras order:
 *
 *   [ z | r ] = σ(x_t·W + b + h_{t-1}·U + b')                      (first two blocks)
 *   n = tanh(x_t·W_n + b_n + r ⊙ (h_{t-1}·U_n + b'_n))             (third block)
 *   h_t = z ⊙ h_{t-1} + (1 − z) ⊙ n
 */
class GruCell final : public RecurrentCell {
 public:
  GruCell(const RecurrentWeights& weights, int units);
  void step(const float* input_part, const float* h_prev, float* h,
            const StepRecord* record) override;

 private:
  const RecurrentWeights& weights_;
  int units_;
  Vector recurrent_;  // [3·units] h_{t-1}·U
  Vector gates_;      // [3·units]
};

}  // namespace unroll
