#include "nn/gru_cell.h"

#include <algorithm>
#include <cstddef>

#include "kernels/kernels.h"

namespace unroll::gru {

void forward(const RecurrentWeights& weights, const CellStep& s) {
  const int n = static_cast<int>(weights.recurrent_kernel.rows());
  const int width = 3 * n;
  recurrent_product(weights, s);
  const float* bias = weights.bias.data();
  const float* recurrent_bias = weights.recurrent_bias.data();
  for (int r = 0; r < s.rows; ++r) {
    const float* x = s.input[r];
    const float* u = s.recurrent + std::size_t(r) * width;
    float* g = s.gates + std::size_t(r) * width;
    float* pre = s.preactivation ? s.preactivation + std::size_t(r) * width : nullptr;
    for (int j = 0; j < 2 * n; ++j) g[j] = x[j] + bias[j] + u[j] + recurrent_bias[j];
    if (pre) std::copy(g, g + 2 * n, pre);
    kernels::sigmoid_inplace(g, 2 * n);
    const float* z = g;
    const float* reset = g + n;
    float* candidate = g + 2 * n;
    for (int j = 0; j < n; ++j) {
      candidate[j] = x[2 * n + j] + bias[2 * n + j] + reset[j] * (u[2 * n + j] + recurrent_bias[2 * n + j]);
    }
    if (pre) std::copy(candidate, candidate + n, pre + 2 * n);
    kernels::tanh_inplace(candidate, n);
    const float* h_prev = s.h_prev ? s.h_prev + std::size_t(r) * s.h_prev_stride : nullptr;
    float* h = s.h + std::size_t(r) * s.h_stride;
    for (int j = 0; j < n; ++j) h[j] = z[j] * (h_prev ? h_prev[j] : 0.0f) + (1.0f - z[j]) * candidate[j];
  }
}

void backward(const RecurrentWeights& weights, const CellBackwardInput& in, CellBackwardOutput out) {
  const Eigen::Index n = in.d_h.cols();
  const auto z = in.gates.leftCols(n).array();
  const auto r = in.gates.middleCols(n, n).array();
  const auto candidate = in.gates.rightCols(n).array();
  // u_n = h_{t-1}·U_n + b'_n, what r scaled.
  const Eigen::ArrayXXf u_n =
      in.recurrent.rightCols(n).array().rowwise() + weights.recurrent_bias.tail(n).array().transpose();
  // d(pre-activation) of n, then of z and r.
  out.d_input.rightCols(n) = in.d_h.array() * (1.0f - z) * (1.0f - candidate.square());
  out.d_input.leftCols(n) = in.d_h.array() * (in.h_prev.array() - candidate) * z * (1.0f - z);
  out.d_input.middleCols(n, n) = out.d_input.rightCols(n).array() * u_n * r * (1.0f - r);
  out.d_recurrent.leftCols(2 * n) = out.d_input.leftCols(2 * n);
  out.d_recurrent.rightCols(n) = out.d_input.rightCols(n).array() * r;
  transposed_product(out.d_recurrent, weights.recurrent_kernel, out.d_h_prev);
  out.d_h_prev.array() += in.d_h.array() * z;
}

}  // namespace unroll::gru
