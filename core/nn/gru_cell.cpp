#include "nn/gru_cell.h"

#include <algorithm>

#include "kernels/kernels.h"

namespace unroll {

GruCell::GruCell(const RecurrentWeights& weights, int units)
    : weights_(weights), units_(units), recurrent_(3 * units), gates_(3 * units) {}

void GruCell::step(const float* input_part, const float* h_prev, float* h,
                   const StepRecord* record) {
  const int n = units_;
  float* recurrent = recurrent_.data();
  float* gates = gates_.data();
  kernels::vector_matrix(h_prev, n, weights_.recurrent_kernel.data(), 3 * n, recurrent);
  const float* bias = weights_.bias.data();
  const float* recurrent_bias = weights_.recurrent_bias.data();
  for (int j = 0; j < 2 * n; ++j)
    gates[j] = input_part[j] + bias[j] + recurrent[j] + recurrent_bias[j];
  kernels::sigmoid_inplace(gates, 2 * n);
  const float* z = gates;
  const float* r = gates + n;
  float* candidate = gates + 2 * n;
  for (int j = 0; j < n; ++j) {
    candidate[j] = input_part[2 * n + j] + bias[2 * n + j] +
                   r[j] * (recurrent[2 * n + j] + recurrent_bias[2 * n + j]);
  }
  if (record) {
    std::copy(recurrent, recurrent + 3 * n, record->recurrent_part);
    // z and r were activated in place; their pre-activations are recomputed for the record.
    for (int j = 0; j < 2 * n; ++j)
      record->preactivation[j] = input_part[j] + bias[j] + recurrent[j] + recurrent_bias[j];
    std::copy(candidate, candidate + n, record->preactivation + 2 * n);
  }
  kernels::tanh_inplace(candidate, n);
  for (int j = 0; j < n; ++j) h[j] = z[j] * h_prev[j] + (1.0f - z[j]) * candidate[j];
  if (record) std::copy(gates, gates + 3 * n, record->gates);
}

}  // namespace unroll
