// Portable kernels: Eigen does the vectorising on native targets (SSE/AVX) and whatever the
// compiler can auto-vectorise in wasm builds without hand-written SIMD.
#if !defined(UNROLL_WASM_SIMD)

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "kernels/kernels.h"
#include "nn/tensor.h"

namespace unroll::kernels {

const char* backend_name() { return "eigen"; }

void vector_matrix(const float* x, int n_in, const float* w, int n_out, float* y) {
  Eigen::Map<const Matrix> weights(w, n_in, n_out);
  Eigen::Map<const Vector> input(x, n_in);
  Eigen::Map<Vector> output(y, n_out);
  output.noalias() = weights.transpose() * input;
}

void matrix_product(const float* x, int rows, int n_in, int ldx, const float* w, int n_out, float* y,
                    int ldy) {
  if (rows == 1) {
    vector_matrix(x, n_in, w, n_out, y);
    return;
  }
  using Stride = Eigen::OuterStride<>;
  Eigen::Map<const Matrix, 0, Stride> inputs(x, rows, n_in, Stride(ldx));
  Eigen::Map<const Matrix> weights(w, n_in, n_out);
  Eigen::Map<Matrix, 0, Stride> outputs(y, rows, n_out, Stride(ldy));
  outputs.noalias() = inputs * weights;
}

PackedMatrix pack(const float* w, int n_in, int n_out) {
  return PackedMatrix{n_in, n_out, std::vector<float>(w, w + std::size_t(n_in) * n_out)};
}

void matrix_product(const float* x, int rows, int ldx, const PackedMatrix& w, float* y, int ldy) {
  matrix_product(x, rows, w.n_in, ldx, w.values.data(), w.n_out, y, ldy);
}

void matrix_product_transposed(const float* x, int rows, int n_in, int ldx, const float* w, int n_out,
                               float* y, int ldy) {
  using Stride = Eigen::OuterStride<>;
  Eigen::Map<const Matrix, 0, Stride> inputs(x, rows, n_in, Stride(ldx));
  Eigen::Map<const Matrix> weights(w, n_out, n_in);
  Eigen::Map<Matrix, 0, Stride> outputs(y, rows, n_out, Stride(ldy));
  outputs.noalias() = inputs * weights.transpose();
}

// UNROLL_VECTOR_ACTIVATIONS (only the trainer's AVX2 copy, tools/CMakeLists.txt): Eigen's
// vectorised tanh and logistic, as the training pass used before its cells were shared with
// inference (std::tanh, one element at a time, made an epoch 20-30 % slower). Inference keeps
// std::tanh: the shipped models' answers are pinned to it (tests/fixtures/model-probabilities).
void tanh_inplace(float* v, int n) {
#if defined(UNROLL_VECTOR_ACTIVATIONS)
  Eigen::Map<Eigen::ArrayXf> values(v, n);
  values = values.tanh();
#else
  for (int i = 0; i < n; ++i) v[i] = std::tanh(v[i]);
#endif
}

void sigmoid_inplace(float* v, int n) {
#if defined(UNROLL_VECTOR_ACTIVATIONS)
  Eigen::Map<Eigen::ArrayXf> values(v, n);
  values = values.logistic();
#else
  for (int i = 0; i < n; ++i) v[i] = 1.0f / (1.0f + std::exp(-v[i]));
#endif
}

// The five passes, one after another (the SIMD backend fuses them): the same arithmetic, in the
// same order, as the LSTM has always run here, so the answers pinned to std::tanh stay as they are.
void lstm_update(const float* x, const float* u, const float* b, const float* cell_prev, int n,
                 float* preactivation, float* gates, float* cell, float* h) {
  const std::size_t width = 4 * static_cast<std::size_t>(n);
  for (std::size_t j = 0; j < width; ++j) gates[j] = x[j] + u[j] + b[j];
  if (preactivation) std::copy_n(gates, width, preactivation);
  sigmoid_inplace(gates, 2 * n);      // i, f
  tanh_inplace(gates + 2 * n, n);     // c̃
  sigmoid_inplace(gates + 3 * n, n);  // o
  const float* i = gates;
  const float* f = gates + n;
  const float* candidate = gates + 2 * n;
  const float* o = gates + 3 * n;
  for (int j = 0; j < n; ++j) {
    cell[j] = f[j] * (cell_prev ? cell_prev[j] : 0.0f) + i[j] * candidate[j];
    h[j] = cell[j];
  }
  tanh_inplace(h, n);
  for (int j = 0; j < n; ++j) h[j] *= o[j];
}

}  // namespace unroll::kernels

#endif
