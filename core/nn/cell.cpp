#include "nn/cell.h"

#include <algorithm>
#include <cstddef>

#include "kernels/kernels.h"

#include "nn/gru_cell.h"
#include "nn/lstm_cell.h"
#include "nn/simple_rnn_cell.h"

namespace unroll {

void recurrent_product(const RecurrentWeights& weights, const CellStep& s) {
  const Matrix& u = weights.recurrent_kernel;  // [n × G·n]
  const int n = static_cast<int>(u.rows()), width = static_cast<int>(u.cols());
  if (s.h_prev && s.packed_recurrent_kernel) {
    kernels::matrix_product(s.h_prev, s.rows, s.h_prev_stride, *s.packed_recurrent_kernel, s.recurrent, width);
  } else if (s.h_prev) {
    kernels::matrix_product(s.h_prev, s.rows, n, s.h_prev_stride, u.data(), width, s.recurrent, width);
  } else {
    std::fill(s.recurrent, s.recurrent + std::size_t(s.rows) * width, 0.0f);
  }
}

float* add_preactivations(const RecurrentWeights& weights, const CellStep& s, int r) {
  const std::size_t width = static_cast<std::size_t>(weights.recurrent_kernel.cols());
  const float* x = s.input[r];
  const float* u = s.recurrent + r * width;
  const float* bias = weights.bias.data();
  float* g = s.gates + r * width;
  for (std::size_t j = 0; j < width; ++j) g[j] = x[j] + u[j] + bias[j];
  if (s.preactivation) std::copy(g, g + width, s.preactivation + r * width);
  return g;
}

void transposed_product(ConstRows rows, const Matrix& matrix, Matrix& out) {
  out.resize(rows.rows(), matrix.rows());
  if (rows.rows() == 0) return;
  kernels::matrix_product_transposed(rows.data(), static_cast<int>(rows.rows()), static_cast<int>(rows.cols()),
                                     static_cast<int>(rows.outerStride()), matrix.data(),
                                     static_cast<int>(matrix.rows()), out.data(), static_cast<int>(matrix.rows()));
}

void cell_forward(CellType cell, const RecurrentWeights& weights, const CellStep& step) {
  switch (cell) {
    case CellType::SimpleRnn: return simple_rnn::forward(weights, step);
    case CellType::Lstm: return lstm::forward(weights, step);
    case CellType::Gru: return gru::forward(weights, step);
  }
}

void cell_backward(CellType cell, const RecurrentWeights& weights, const CellBackwardInput& in,
                   CellBackwardOutput out) {
  switch (cell) {
    case CellType::SimpleRnn: return simple_rnn::backward(weights, in, out);
    case CellType::Lstm: return lstm::backward(weights, in, out);
    case CellType::Gru: return gru::backward(weights, in, out);
  }
}

}  // namespace unroll
