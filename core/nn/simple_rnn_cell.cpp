#include "nn/simple_rnn_cell.h"

#include <algorithm>
#include <cstddef>

#include "kernels/kernels.h"

namespace unroll::simple_rnn {

void forward(const RecurrentWeights& weights, const CellStep& s) {
  const int n = static_cast<int>(weights.recurrent_kernel.rows());
  if (s.h_prev) {
    kernels::matrix_product(s.h_prev, s.rows, n, s.h_prev_stride, weights.recurrent_kernel.data(), n,
                            s.recurrent, n);
  } else {
    std::fill(s.recurrent, s.recurrent + std::size_t(s.rows) * n, 0.0f);
  }
  const float* bias = weights.bias.data();
  for (int r = 0; r < s.rows; ++r) {
    const float* x = s.input[r];
    const float* u = s.recurrent + std::size_t(r) * n;
    float* g = s.gates + std::size_t(r) * n;
    for (int j = 0; j < n; ++j) g[j] = x[j] + u[j] + bias[j];
    if (s.preactivation) std::copy(g, g + n, s.preactivation + std::size_t(r) * n);
    kernels::tanh_inplace(g, n);
    std::copy(g, g + n, s.h + std::size_t(r) * s.h_stride);
  }
}

void backward(const RecurrentWeights& weights, const CellBackwardInput& in, CellBackwardOutput out) {
  // d(pre-activation) = dh ⊙ (1 − h²); it reaches x·W + b and h_{t-1}·U alike.
  out.d_recurrent = in.d_h.array() * (1.0f - in.h.array().square());
  out.d_input = out.d_recurrent;
  out.d_h_prev.noalias() = out.d_recurrent * weights.recurrent_kernel.transpose();
}

}  // namespace unroll::simple_rnn
