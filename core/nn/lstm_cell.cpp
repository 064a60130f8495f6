#include "nn/lstm_cell.h"

#include <cstddef>

#include "kernels/kernels.h"

namespace unroll::lstm {

void forward(const RecurrentWeights& weights, const CellStep& s) {
  const int n = static_cast<int>(weights.recurrent_kernel.rows());
  const std::size_t width = 4 * std::size_t(n);
  recurrent_product(weights, s);  // h_{t-1}·U
  for (int r = 0; r < s.rows; ++r) {
    kernels::lstm_update(s.input[r], s.recurrent + r * width, weights.bias.data(),
                         s.cell_prev ? s.cell_prev + std::size_t(r) * n : nullptr, n,
                         s.preactivation ? s.preactivation + r * width : nullptr, s.gates + r * width,
                         s.cell + std::size_t(r) * n, s.h + std::size_t(r) * s.h_stride);
  }
}

void backward(const RecurrentWeights& weights, const CellBackwardInput& in, CellBackwardOutput out) {
  const Eigen::Index n = in.d_h.cols();
  const auto i = in.gates.leftCols(n).array();
  const auto f = in.gates.middleCols(n, n).array();
  const auto candidate = in.gates.middleCols(2 * n, n).array();
  const auto o = in.gates.rightCols(n).array();
  const Eigen::ArrayXXf tanh_c = in.cell.array().tanh();
  // dc = dc_next + dh ⊙ o ⊙ (1 − tanh²c), then through each gate's activation.
  out.d_cell.array() += in.d_h.array() * o * (1.0f - tanh_c.square());
  out.d_recurrent.leftCols(n) = out.d_cell.array() * candidate * i * (1.0f - i);
  out.d_recurrent.middleCols(n, n) = out.d_cell.array() * in.cell_prev.array() * f * (1.0f - f);
  out.d_recurrent.middleCols(2 * n, n) = out.d_cell.array() * i * (1.0f - candidate.square());
  out.d_recurrent.rightCols(n) = in.d_h.array() * tanh_c * o * (1.0f - o);
  out.d_cell.array() *= f;
  out.d_input = out.d_recurrent;
  transposed_product(out.d_recurrent, weights.recurrent_kernel, out.d_h_prev);
}

}  // namespace unroll::lstm
