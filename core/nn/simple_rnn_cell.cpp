#include "nn/simple_rnn_cell.h"

#include <algorithm>
#include <cstddef>

#include "kernels/kernels.h"

namespace unroll::simple_rnn {

void forward(const RecurrentWeights& weights, const CellStep& s) {
  recurrent_product(weights, s);  // h_{t-1}·U
  const int n = static_cast<int>(weights.recurrent_kernel.rows());
  for (int r = 0; r < s.rows; ++r) {
    float* g = add_preactivations(weights, s, r);
    kernels::tanh_inplace(g, n);
    std::copy(g, g + n, s.h + std::size_t(r) * s.h_stride);
  }
}

void backward(const RecurrentWeights& weights, const CellBackwardInput& in, CellBackwardOutput out) {
  // d(pre-activation) = dh ⊙ (1 − h²); it reaches x·W + b and h_{t-1}·U alike.
  out.d_recurrent = in.d_h.array() * (1.0f - in.h.array().square());
  out.d_input = out.d_recurrent;
  transposed_product(out.d_recurrent, weights.recurrent_kernel, out.d_h_prev);
}

}  // namespace unroll::simple_rnn
