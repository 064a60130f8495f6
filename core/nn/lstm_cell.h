#pragma once

#include "nn/recurrent_cell.h"

namespace unroll {

/**
 * Keras/PyTorch LSTM. Gates are fused: one product gives all four pre-activations.
 *
 *   [ i | f | c̃ | o ] = x_t·W + h_{t-1}·U + b          (each block `units` wide)
 *   i, f, o = σ(·)   c̃ = tanh(·)
 *   c_t = f ⊙ c_{t-1} + i ⊙ c̃        h_t = o ⊙ tanh(c_t)
 */
class LstmCell final : public RecurrentCell {
 public:
  LstmCell(const RecurrentWeights& weights, int units);
  void reset() override;
  void step(const float* input_part, const float* h_prev, float* h,
            const StepRecord* record) override;

 private:
  const RecurrentWeights& weights_;
  int units_;
  Vector recurrent_;  // [4·units] h_{t-1}·U
  Vector gates_;      // [4·units] pre-activation, then activation, in place
  Vector cell_;       // [units] c_t
};

}  // namespace unroll
