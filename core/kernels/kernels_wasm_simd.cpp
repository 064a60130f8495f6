// Hand-written WebAssembly SIMD kernels (<wasm_simd128.h>, 4 floats per v128). Compiled instead
// of kernels_plain.cpp when UNROLL_WASM_SIMD is defined (the wasm-simd preset, with -msimd128):
// Eigen 3.4 has no WebAssembly SIMD backend, so its products would only be auto-vectorised.
#if defined(UNROLL_WASM_SIMD)

#include <wasm_simd128.h>

#include <cmath>
#include <cstddef>

#include "kernels/kernels.h"

namespace unroll::kernels {

namespace {

/**
 * tanh on 4 lanes: Eigen's rational approximation (generic_fast_tanh_float, the non-FMA clamp):
 * x·p(x²)/q(x²), degree 13/6, inputs clamped to ±7.90531, |x| < 4e-4 returned as is.
 * Maximum absolute error against std::tanh over [-20, 20] is below 1e-6 (kernels_test.cpp
 * sweeps every 1e-4); ±inf → ±(value at the clamp) within 1e-6 of ±1; NaN → NaN (the wasm
 * min/max propagate NaN).
 */
inline v128_t tanh4(v128_t a) {
  const v128_t clamp = wasm_f32x4_splat(7.90531110763549805f);
  const v128_t x = wasm_f32x4_max(wasm_f32x4_min(a, clamp), wasm_f32x4_neg(clamp));
  const v128_t tiny = wasm_f32x4_lt(wasm_f32x4_abs(a), wasm_f32x4_splat(0.0004f));
  const v128_t x2 = wasm_f32x4_mul(x, x);
  auto madd = [](v128_t a, v128_t b, float c) {
    return wasm_f32x4_add(wasm_f32x4_mul(a, b), wasm_f32x4_splat(c));
  };
  v128_t p = madd(x2, wasm_f32x4_splat(-2.76076847742355e-16f), 2.00018790482477e-13f);
  p = madd(x2, p, -8.60467152213735e-11f);
  p = madd(x2, p, 5.12229709037114e-08f);
  p = madd(x2, p, 1.48572235717979e-05f);
  p = madd(x2, p, 6.37261928875436e-04f);
  p = madd(x2, p, 4.89352455891786e-03f);
  p = wasm_f32x4_mul(x, p);
  v128_t q = madd(x2, wasm_f32x4_splat(1.19825839466702e-06f), 1.18534705686654e-04f);
  q = madd(x2, q, 2.26843463243900e-03f);
  q = madd(x2, q, 4.89352518554385e-03f);
  return wasm_v128_bitselect(a, wasm_f32x4_div(p, q), tiny);
}

/** 1 / (1 + e^(−x)) = (1 + tanh(x/2)) / 2 on 4 lanes; absolute error at most half tanh4's. */
inline v128_t sigmoid4(v128_t a) {
  const v128_t half = wasm_f32x4_splat(0.5f);
  const v128_t t = tanh4(wasm_f32x4_mul(a, half));
  return wasm_f32x4_add(half, wasm_f32x4_mul(half, t));
}

/** Runs a 4-lane function over v[0..n), the tail through a zero-padded vector. */
template <class F>
inline void map_inplace(float* v, int n, F f) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(v + i, f(wasm_v128_load(v + i)));
  if (i < n) {
    alignas(16) float tail[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int k = 0; i + k < n; ++k) tail[k] = v[i + k];
    wasm_v128_store(tail, f(wasm_v128_load(tail)));
    for (int k = 0; i + k < n; ++k) v[i + k] = tail[k];
  }
}

}  // namespace

const char* backend_name() { return "wasm_simd128"; }

// y = x·W, W row-major [n_in × n_out]. Columns are taken 16 at a time: x[i] is broadcast and
// multiplied into 4 f32x4 accumulators per row of W; rows go two at a time into two sets of
// accumulators so that eight independent add chains hide the add latency.
//
//            j … j+15  (one block)
//   W row i   [ w w w w | w w w w | w w w w | w w w w ]  · x[i]   → a0 a1 a2 a3
//   W row i+1 [ w w w w | w w w w | w w w w | w w w w ]  · x[i+1] → b0 b1 b2 b3
void vector_matrix(const float* x, int n_in, const float* w, int n_out, float* y) {
  int j = 0;
  for (; j + 16 <= n_out; j += 16) {
    v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
    v128_t b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    const float* row = w + j;
    int i = 0;
    for (; i + 2 <= n_in; i += 2, row += 2 * n_out) {
      const v128_t xa = wasm_f32x4_splat(x[i]);
      const v128_t xb = wasm_f32x4_splat(x[i + 1]);
      const float* next = row + n_out;
      a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(xa, wasm_v128_load(row)));
      a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(xa, wasm_v128_load(row + 4)));
      a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(xa, wasm_v128_load(row + 8)));
      a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(xa, wasm_v128_load(row + 12)));
      b0 = wasm_f32x4_add(b0, wasm_f32x4_mul(xb, wasm_v128_load(next)));
      b1 = wasm_f32x4_add(b1, wasm_f32x4_mul(xb, wasm_v128_load(next + 4)));
      b2 = wasm_f32x4_add(b2, wasm_f32x4_mul(xb, wasm_v128_load(next + 8)));
      b3 = wasm_f32x4_add(b3, wasm_f32x4_mul(xb, wasm_v128_load(next + 12)));
    }
    if (i < n_in) {
      const v128_t xa = wasm_f32x4_splat(x[i]);
      a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(xa, wasm_v128_load(row)));
      a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(xa, wasm_v128_load(row + 4)));
      a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(xa, wasm_v128_load(row + 8)));
      a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(xa, wasm_v128_load(row + 12)));
    }
    wasm_v128_store(y + j, wasm_f32x4_add(a0, b0));
    wasm_v128_store(y + j + 4, wasm_f32x4_add(a1, b1));
    wasm_v128_store(y + j + 8, wasm_f32x4_add(a2, b2));
    wasm_v128_store(y + j + 12, wasm_f32x4_add(a3, b3));
  }
  for (; j + 4 <= n_out; j += 4) {
    v128_t a = wasm_f32x4_splat(0.0f);
    const float* row = w + j;
    for (int i = 0; i < n_in; ++i, row += n_out)
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_splat(x[i]), wasm_v128_load(row)));
    wasm_v128_store(y + j, a);
  }
  for (; j < n_out; ++j) {
    float sum = 0.0f;
    for (int i = 0; i < n_in; ++i) sum += x[i] * w[i * n_out + j];
    y[j] = sum;
  }
}

// Y = X·W, four rows of X at a time: each pair of W vectors loaded (8 columns of row i of W) is
// used for four rows, so W is read once per four outputs rows instead of once per row.
//
//            j … j+7
//   W row i   [ w w w w | w w w w ]
//   × X[r, i] for r = 0..3 (broadcast)  → acc[r][0], acc[r][1]     (8 f32x4 accumulators)
void matrix_product(const float* x, int rows, int n_in, const float* w, int n_out, float* y) {
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    const float* x0 = x + static_cast<std::size_t>(r) * n_in;
    const float* x1 = x0 + n_in;
    const float* x2 = x1 + n_in;
    const float* x3 = x2 + n_in;
    float* y0 = y + static_cast<std::size_t>(r) * n_out;
    int j = 0;
    for (; j + 8 <= n_out; j += 8) {
      v128_t a00 = wasm_f32x4_splat(0.0f), a01 = a00, a10 = a00, a11 = a00;
      v128_t a20 = a00, a21 = a00, a30 = a00, a31 = a00;
      const float* row = w + j;
      for (int i = 0; i < n_in; ++i, row += n_out) {
        const v128_t w0 = wasm_v128_load(row);
        const v128_t w1 = wasm_v128_load(row + 4);
        const v128_t b0 = wasm_f32x4_splat(x0[i]);
        const v128_t b1 = wasm_f32x4_splat(x1[i]);
        const v128_t b2 = wasm_f32x4_splat(x2[i]);
        const v128_t b3 = wasm_f32x4_splat(x3[i]);
        a00 = wasm_f32x4_add(a00, wasm_f32x4_mul(b0, w0));
        a01 = wasm_f32x4_add(a01, wasm_f32x4_mul(b0, w1));
        a10 = wasm_f32x4_add(a10, wasm_f32x4_mul(b1, w0));
        a11 = wasm_f32x4_add(a11, wasm_f32x4_mul(b1, w1));
        a20 = wasm_f32x4_add(a20, wasm_f32x4_mul(b2, w0));
        a21 = wasm_f32x4_add(a21, wasm_f32x4_mul(b2, w1));
        a30 = wasm_f32x4_add(a30, wasm_f32x4_mul(b3, w0));
        a31 = wasm_f32x4_add(a31, wasm_f32x4_mul(b3, w1));
      }
      wasm_v128_store(y0 + j, a00);
      wasm_v128_store(y0 + j + 4, a01);
      wasm_v128_store(y0 + n_out + j, a10);
      wasm_v128_store(y0 + n_out + j + 4, a11);
      wasm_v128_store(y0 + 2 * n_out + j, a20);
      wasm_v128_store(y0 + 2 * n_out + j + 4, a21);
      wasm_v128_store(y0 + 3 * n_out + j, a30);
      wasm_v128_store(y0 + 3 * n_out + j + 4, a31);
    }
    if (j < n_out) {
      // Remaining columns (n_out not a multiple of 8), one row at a time.
      for (int k = 0; k < 4; ++k) {
        const float* xk = x0 + static_cast<std::size_t>(k) * n_in;
        float* yk = y0 + static_cast<std::size_t>(k) * n_out;
        for (int jj = j; jj < n_out; ++jj) {
          float sum = 0.0f;
          for (int i = 0; i < n_in; ++i) sum += xk[i] * w[static_cast<std::size_t>(i) * n_out + jj];
          yk[jj] = sum;
        }
      }
    }
  }
  for (; r < rows; ++r)
    vector_matrix(x + static_cast<std::size_t>(r) * n_in, n_in, w, n_out, y + static_cast<std::size_t>(r) * n_out);
}

void tanh_inplace(float* v, int n) { map_inplace(v, n, tanh4); }

void sigmoid_inplace(float* v, int n) { map_inplace(v, n, sigmoid4); }

}  // namespace unroll::kernels

#endif
