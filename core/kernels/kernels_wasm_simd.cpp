// Hand-written WebAssembly SIMD kernels (<wasm_simd128.h>, 4 floats per v128). Compiled instead
// of kernels_plain.cpp when UNROLL_WASM_SIMD is defined (the wasm-simd preset, with -msimd128):
// Eigen 3.4 has no WebAssembly SIMD backend, so its products would only be auto-vectorised.
#if defined(UNROLL_WASM_SIMD)

#include <wasm_simd128.h>

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "kernels/kernels.h"

namespace unroll::kernels {

namespace {

/**
 * tanh on 4 lanes: Eigen's rational approximation (generic_fast_tanh_float, the non-FMA clamp):
 * x·p(x²)/q(x²), degree 13/6, inputs clamped to ±7.90531. Eigen also returns x as is where
 * |x| < 4e-4; we do not: there p/q is the ratio of the constant terms, 1 − 1.3e-7, so the result
 * is x within 5e-11, ±0 stays ±0, and the three lane-wise operations that branch cost were up to
 * 8 % of `best`'s pass (docs/performance.md). Maximum absolute error against std::tanh over
 * [-20, 20] is below 1e-6 (kernels_test.cpp sweeps every 1e-4); ±inf → ±(value at the clamp)
 * within 1e-6 of ±1; NaN → NaN.
 *
 * The clamp uses pmin/pmax (`b < a ? b : a`), one minps/maxps each on x64, where the IEEE
 * min/max that wasm's f32x4.min/max promise (NaN and ±0 rules) cost V8 about eight instructions
 * each; tanh over 64 values went from 99 to 59 ns in node. The operand order keeps a NaN input
 * (every comparison with it is false, so `a` comes back) and −0 (no comparison with ±7.9 picks
 * the clamp).
 */
inline v128_t tanh4(v128_t a) {
  const v128_t clamp = wasm_f32x4_splat(7.90531110763549805f);
  const v128_t x = wasm_f32x4_pmax(wasm_f32x4_pmin(a, clamp), wasm_f32x4_neg(clamp));
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
  return wasm_f32x4_div(p, q);
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

namespace {

// 16 columns of y = x·W, the rows of those columns `ldw` floats apart (n_out for W read in place,
// 16 in a packed panel), into 4 f32x4 accumulators. Rows go two at a time, and the two rows'
// products are summed before they reach the accumulator:
//
//            j … j+15
//   W row i   [ w w w w | w w w w | w w w w | w w w w ]  · x[i]    ┐
//   W row i+1 [ w w w w | w w w w | w w w w | w w w w ]  · x[i+1]  ┴ + → a0 a1 a2 a3
//
// Why this shape: V8 gives wasm 16 xmm registers. The earlier form (8 accumulators, one per row
// and vector) needed 8 accumulators + 8 loaded rows + 2 broadcasts live at once, and TurboFan
// spilled three accumulators to the stack on every iteration. Here 4 accumulators, 2 broadcasts
// and a few temporaries fit, and each accumulator still takes one add per iteration (the inner
// add is off the loop-carried chain). Measured in node 20 on x64 (docs/performance.md): 64 × 64
// from 412–430 ns to 246 ns.
inline void row_block16(const float* x, int n_in, const float* w, int ldw, float* y) {
  v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
  const float* row = w;
  int i = 0;
  for (; i + 2 <= n_in; i += 2, row += 2 * ldw) {
    // x[i] and x[i + 1] in one 8-byte load, then broadcast by shuffles: fewer address
    // computations in V8's code than two scalar loads (64 × 256: 1,040 → 960 ns).
    const v128_t both = wasm_v128_load64_splat(x + i);
    const v128_t xa = wasm_i32x4_shuffle(both, both, 0, 0, 0, 0);
    const v128_t xb = wasm_i32x4_shuffle(both, both, 1, 1, 1, 1);
    const float* next = row + ldw;
    auto pair = [&](int k) {
      return wasm_f32x4_add(wasm_f32x4_mul(xa, wasm_v128_load(row + k)), wasm_f32x4_mul(xb, wasm_v128_load(next + k)));
    };
    a0 = wasm_f32x4_add(a0, pair(0));
    a1 = wasm_f32x4_add(a1, pair(4));
    a2 = wasm_f32x4_add(a2, pair(8));
    a3 = wasm_f32x4_add(a3, pair(12));
  }
  if (i < n_in) {
    const v128_t xa = wasm_f32x4_splat(x[i]);
    a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(xa, wasm_v128_load(row)));
    a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(xa, wasm_v128_load(row + 4)));
    a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(xa, wasm_v128_load(row + 8)));
    a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(xa, wasm_v128_load(row + 12)));
  }
  wasm_v128_store(y, a0);
  wasm_v128_store(y + 4, a1);
  wasm_v128_store(y + 8, a2);
  wasm_v128_store(y + 12, a3);
}

}  // namespace

// y = x·W, W row-major [n_in × n_out]: 16 columns at a time (row_block16), then 4, then 1.
void vector_matrix(const float* x, int n_in, const float* w, int n_out, float* y) {
  int j = 0;
  for (; j + 16 <= n_out; j += 16) row_block16(x, n_in, w + j, n_out, y + j);
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

namespace {

// R rows of X by 4·V columns of W into R × V f32x4 accumulators:
//
//              n_in →                       4·V columns (V × f32x4)
//   X rows  [ x x x … ]  splat x[r][i] ·  W row i [ w w w w | w w w w | … ]  → acc[r][0 … V)
//
// W's rows are `ldw` floats apart (n_out in place, 16 in a packed panel). The panel of W
// (n_in × 16·V bytes) stays in L1 while every row block of X goes past it.
template <int R, int V>
inline void block(const float* x, int ldx, int n_in, const float* w, int ldw, float* y, int ldy) {
  v128_t acc[R][V];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) acc[r][v] = wasm_f32x4_splat(0.0f);
  for (int i = 0; i < n_in; ++i) {
    v128_t wv[V];
    for (int v = 0; v < V; ++v) wv[v] = wasm_v128_load(w + std::size_t(i) * ldw + 4 * v);
    for (int r = 0; r < R; ++r) {
      const v128_t s = wasm_f32x4_splat(x[std::size_t(r) * ldx + i]);
      for (int v = 0; v < V; ++v) acc[r][v] = wasm_f32x4_add(acc[r][v], wasm_f32x4_mul(s, wv[v]));
    }
  }
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) wasm_v128_store(y + std::size_t(r) * ldy + 4 * v, acc[r][v]);
}

}  // namespace

// Blocks of 2 rows × 16 columns: 8 accumulators, 4 W vectors, 1 splat. Measured in node (V8,
// x64) against 6×8, 4×8, 3×16, 4×12 and 2×8 on the seed-rnn shape: more rows spill registers,
// fewer columns reload the X scalar too often.
void matrix_product(const float* x, int rows, int n_in, int ldx, const float* w, int n_out, float* y,
                    int ldy) {
  if (rows == 1) {
    vector_matrix(x, n_in, w, n_out, y);
    return;
  }
  constexpr int kRows = 2;
  constexpr int kVecs = 4;
  constexpr int kCols = 4 * kVecs;
  auto x_row = [&](int r) { return x + std::size_t(r) * ldx; };
  auto y_at = [&](int r, int j) { return y + std::size_t(r) * ldy + j; };
  int j = 0;
  for (; j + kCols <= n_out; j += kCols) {
    int r = 0;
    for (; r + kRows <= rows; r += kRows) block<kRows, kVecs>(x_row(r), ldx, n_in, w + j, n_out, y_at(r, j), ldy);
    for (; r < rows; ++r) row_block16(x_row(r), n_in, w + j, n_out, y_at(r, j));
  }
  for (; j + 4 <= n_out; j += 4) {
    for (int r = 0; r < rows; ++r) block<1, 1>(x_row(r), ldx, n_in, w + j, n_out, y_at(r, j), ldy);
  }
  for (; j < n_out; ++j) {  // columns past the last multiple of 4
    for (int r = 0; r < rows; ++r) {
      float sum = 0.0f;
      for (int i = 0; i < n_in; ++i) sum += x_row(r)[i] * w[std::size_t(i) * n_out + j];
      *y_at(r, j) = sum;
    }
  }
}

namespace {
constexpr int kPanel = 16;  // columns per panel of a PackedMatrix: one row_block16 / block<·, 4>
}  // namespace

PackedMatrix pack(const float* w, int n_in, int n_out) {
  PackedMatrix packed{n_in, n_out, {}};
  const int panels = (n_out + kPanel - 1) / kPanel;
  packed.values.assign(std::size_t(panels) * n_in * kPanel, 0.0f);
  for (int p = 0; p < panels; ++p) {
    const int width = std::min(kPanel, n_out - p * kPanel);
    float* panel = packed.values.data() + std::size_t(p) * n_in * kPanel;
    for (int i = 0; i < n_in; ++i)
      std::copy_n(w + std::size_t(i) * n_out + p * kPanel, width, panel + std::size_t(i) * kPanel);
  }
  return packed;
}

// The blocks of matrix_product, one panel at a time (rows of W 16 floats apart). A last panel
// narrower than 16 columns (zero-padded) goes through a scratch row and is copied out.
void matrix_product(const float* x, int rows, int ldx, const PackedMatrix& w, float* y, int ldy) {
  const int n_in = w.n_in;
  auto x_row = [&](int r) { return x + std::size_t(r) * ldx; };
  for (int j = 0; j < w.n_out; j += kPanel) {
    const float* panel = w.values.data() + std::size_t(j) * n_in;
    const int width = std::min(kPanel, w.n_out - j);
    if (width == kPanel) {
      int r = 0;
      for (; r + 2 <= rows; r += 2) block<2, 4>(x_row(r), ldx, n_in, panel, kPanel, y + std::size_t(r) * ldy + j, ldy);
      for (; r < rows; ++r) row_block16(x_row(r), n_in, panel, kPanel, y + std::size_t(r) * ldy + j);
    } else {
      alignas(16) float scratch[kPanel];
      for (int r = 0; r < rows; ++r) {
        row_block16(x_row(r), n_in, panel, kPanel, scratch);
        std::copy_n(scratch, width, y + std::size_t(r) * ldy + j);
      }
    }
  }
}

namespace {
inline float sum4(v128_t v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) +
         wasm_f32x4_extract_lane(v, 3);
}
}  // namespace

// Y = X·Wᵀ: every output is a dot product of a row of X with a row of W, both contiguous. Four
// rows of W at a time share each load of X: four f32x4 accumulators, summed across lanes at the end.
void matrix_product_transposed(const float* x, int rows, int n_in, int ldx, const float* w, int n_out,
                               float* y, int ldy) {
  const int body = n_in & ~3;
  for (int r = 0; r < rows; ++r) {
    const float* xr = x + std::size_t(r) * ldx;
    float* yr = y + std::size_t(r) * ldy;
    int j = 0;
    for (; j + 4 <= n_out; j += 4) {
      const float* w0 = w + std::size_t(j) * n_in;
      const float* w1 = w0 + n_in;
      const float* w2 = w1 + n_in;
      const float* w3 = w2 + n_in;
      v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
      for (int i = 0; i < body; i += 4) {
        const v128_t xv = wasm_v128_load(xr + i);
        a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(xv, wasm_v128_load(w0 + i)));
        a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(xv, wasm_v128_load(w1 + i)));
        a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(xv, wasm_v128_load(w2 + i)));
        a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(xv, wasm_v128_load(w3 + i)));
      }
      float s0 = sum4(a0), s1 = sum4(a1), s2 = sum4(a2), s3 = sum4(a3);
      for (int i = body; i < n_in; ++i) {
        s0 += xr[i] * w0[i];
        s1 += xr[i] * w1[i];
        s2 += xr[i] * w2[i];
        s3 += xr[i] * w3[i];
      }
      yr[j] = s0;
      yr[j + 1] = s1;
      yr[j + 2] = s2;
      yr[j + 3] = s3;
    }
    for (; j < n_out; ++j) {
      const float* wj = w + std::size_t(j) * n_in;
      v128_t a = wasm_f32x4_splat(0.0f);
      for (int i = 0; i < body; i += 4) a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(xr + i), wasm_v128_load(wj + i)));
      float s = sum4(a);
      for (int i = body; i < n_in; ++i) s += xr[i] * wj[i];
      yr[j] = s;
    }
  }
}

void tanh_inplace(float* v, int n) { map_inplace(v, n, tanh4); }

void sigmoid_inplace(float* v, int n) { map_inplace(v, n, sigmoid4); }

}  // namespace unroll::kernels

#endif
