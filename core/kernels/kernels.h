#pragma once
// The hot loops of the network, one function per operation. Exactly one backend is compiled in:
// kernels_plain.cpp (Eigen: native and scalar wasm) or kernels_wasm_simd.cpp (hand-written
// <wasm_simd128.h>, when UNROLL_WASM_SIMD is set), because Eigen 3.4 has no WebAssembly SIMD
// backend. tests/core/kernels_test.cpp checks both against plain loops.

#include <vector>

namespace unroll::kernels {

/** Name of the compiled backend: "eigen" or "wasm_simd128". */
const char* backend_name();

/**
 * y = x·W, W row-major [n_in × n_out] (Keras layout): y[j] = Σ_i x[i]·W[i·n_out + j].
 * `y` must not alias `x` or `W`.
 */
void vector_matrix(const float* x, int n_in, const float* w, int n_out, float* y);

/**
 * Y = X·W for `rows` row vectors at once: X [rows × n_in] with rows `ldx` floats apart, W dense
 * row-major [n_in × n_out], Y [rows × n_out] with rows `ldy` floats apart (strides let X and Y be
 * column blocks of wider matrices). One row is vector_matrix; every row equals vector_matrix on
 * it up to rounding. `y` must not alias `x` or `w`.
 */
void matrix_product(const float* x, int rows, int n_in, int ldx, const float* w, int n_out, float* y,
                    int ldy);

/** matrix_product on dense X [rows × n_in] and Y [rows × n_out]. */
inline void matrix_product(const float* x, int rows, int n_in, const float* w, int n_out, float* y) {
  matrix_product(x, rows, n_in, n_in, w, n_out, y, n_out);
}

/**
 * A weight matrix W [n_in × n_out] copied into the order this backend's products read fastest:
 * for weights read again and again (the recurrent kernel U at every time step, the input kernel
 * W for every sequence). It is a copy made once by pack(), so it is only for weights that no
 * longer change (a Model's).
 *   - wasm SIMD: 16-column panels, each [n_in × 16] row-major and contiguous, the last one padded
 *     with zeros. A product then reads W in address order. Read in place, the 16 columns of a
 *     block sit one W row apart (1 KB for an LSTM's 64 × 256 U), and that ran at 60–85 % of the
 *     panels' speed in node, wherever W was placed (docs/performance.md).
 *   - Eigen: W as it is (Eigen's products pack their operands themselves).
 */
struct PackedMatrix {
  int n_in = 0;
  int n_out = 0;
  std::vector<float> values;
};

/** W [n_in × n_out], row-major, packed for matrix_product(…, PackedMatrix, …). */
PackedMatrix pack(const float* w, int n_in, int n_out);

/** matrix_product with a packed W: Y [rows × w.n_out] = X [rows × w.n_in]·W, same contract. */
void matrix_product(const float* x, int rows, int ldx, const PackedMatrix& w, float* y, int ldy);

/**
 * Y = X·Wᵀ for `rows` row vectors: X [rows × n_in] with rows `ldx` floats apart, W dense row-major
 * [n_out × n_in] (so y[r][j] = Σ_i x[r][i]·W[j·n_in + i], a dot product of two contiguous rows), Y
 * [rows × n_out] with rows `ldy` floats apart. What backpropagation multiplies by: dLoss/dh_{t-1} =
 * d(pre-activation)·Uᵀ and dLoss/dx_t = d(pre-activation)·Wᵀ, without transposing the weights.
 * `y` must not alias `x` or `w`.
 */
void matrix_product_transposed(const float* x, int rows, int n_in, int ldx, const float* w, int n_out,
                               float* y, int ldy);

/**
 * The element-wise half of one LSTM step for one sequence, n units, gates in Keras order:
 *
 *   z = x + u + b            x = x_t·W, u = h_{t-1}·U, b the bias: [4n] each, columns i | f | c̃ | o
 *   i, f, o = σ(z)   c̃ = tanh(z)
 *   c = f ⊙ c_prev + i ⊙ c̃     h = o ⊙ tanh(c)
 *
 * Writes z to `preactivation` (optional: nullptr skips it), the activated gates to `gates` [4n],
 * c to `cell` [n] (which may be `cell_prev`: updated in place) and h to `h` [n]. `cell_prev`
 * nullptr is c_0 = 0. The wasm SIMD backend makes three passes where the Eigen backend makes five:
 * the sum, the four gates of 4 units in registers from z to c, then h. The result is the same, bit
 * for bit, as the activation kernels below applied in order.
 */
void lstm_update(const float* x, const float* u, const float* b, const float* cell_prev, int n,
                 float* preactivation, float* gates, float* cell, float* h);

/** v[i] = tanh(v[i]); maximum absolute error 1e-6 against std::tanh. */
void tanh_inplace(float* v, int n);

/** v[i] = 1 / (1 + exp(-v[i])); maximum absolute error 1e-6. */
void sigmoid_inplace(float* v, int n);

}  // namespace unroll::kernels
