#pragma once

#include "nn/recurrent_cell.h"

namespace unroll {

/** Keras SimpleRNN: h_t = tanh(x_t·W + h_{t-1}·U + b). */
class SimpleRnnCell final : public RecurrentCell {
 public:
  /** Keeps a reference to `weights`: they must outlive the cell. */
  SimpleRnnCell(const RecurrentWeights& weights, int units);
  void step(const float* input_part, const float* h_prev, float* h,
            const StepRecord* record) override;

 private:
  const RecurrentWeights& weights_;
  int units_;
  Vector recurrent_;  // [units] h_{t-1}·U
};

}  // namespace unroll
