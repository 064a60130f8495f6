#include "nn/lstm_cell.h"

#include <algorithm>

#include "kernels/kernels.h"

namespace unroll {

LstmCell::LstmCell(const RecurrentWeights& weights, int units)
    : weights_(weights),
      units_(units),
      recurrent_(4 * units),
      gates_(4 * units),
      cell_(Vector::Zero(units)) {}

void LstmCell::reset() { cell_.setZero(); }

void LstmCell::step(const float* input_part, const float* h_prev, float* h,
                    const StepRecord* record) {
  const int n = units_;
  float* recurrent = recurrent_.data();
  float* gates = gates_.data();
  kernels::vector_matrix(h_prev, n, weights_.recurrent_kernel.data(), 4 * n, recurrent);
  const float* bias = weights_.bias.data();
  for (int j = 0; j < 4 * n; ++j) gates[j] = input_part[j] + recurrent[j] + bias[j];
  if (record) {
    std::copy(recurrent, recurrent + 4 * n, record->recurrent_part);
    std::copy(gates, gates + 4 * n, record->preactivation);
  }
  kernels::sigmoid_inplace(gates, 2 * n);         // i, f
  kernels::tanh_inplace(gates + 2 * n, n);        // c̃
  kernels::sigmoid_inplace(gates + 3 * n, n);     // o
  const float* i = gates;
  const float* f = gates + n;
  const float* candidate = gates + 2 * n;
  const float* o = gates + 3 * n;
  float* c = cell_.data();
  for (int j = 0; j < n; ++j) {
    c[j] = f[j] * c[j] + i[j] * candidate[j];
    h[j] = c[j];
  }
  kernels::tanh_inplace(h, n);
  for (int j = 0; j < n; ++j) h[j] *= o[j];
  if (record) {
    std::copy(gates, gates + 4 * n, record->gates);
    std::copy(c, c + n, record->cell);
  }
}

}  // namespace unroll
