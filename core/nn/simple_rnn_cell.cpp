#include "nn/simple_rnn_cell.h"

#include <algorithm>

#include "kernels/kernels.h"

namespace unroll {

SimpleRnnCell::SimpleRnnCell(const RecurrentWeights& weights, int units)
    : weights_(weights), units_(units), recurrent_(units) {}

void SimpleRnnCell::step(const float* input_part, const float* h_prev, float* h,
                         const StepRecord* record) {
  float* recurrent = recurrent_.data();
  kernels::vector_matrix(h_prev, units_, weights_.recurrent_kernel.data(), units_, recurrent);
  const float* bias = weights_.bias.data();
  for (int j = 0; j < units_; ++j) h[j] = input_part[j] + recurrent[j] + bias[j];
  if (record) {
    std::copy(recurrent, recurrent + units_, record->recurrent_part);
    std::copy(h, h + units_, record->preactivation);
  }
  kernels::tanh_inplace(h, units_);
  if (record) std::copy(h, h + units_, record->gates);
}

}  // namespace unroll
