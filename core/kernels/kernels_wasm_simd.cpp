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
 * x·P(x²)/Q(x²) on 4 lanes, x first clamped to ±limit: P of degree 3 and Q of degree 4 with a
 * leading coefficient of 1 (which saves one multiply). tanh and σ − ½ are odd functions that this
 * form fits closely on [-limit, limit]; scripts/fit-activations.py finds the coefficients (a
 * weighted least-squares fit in float64, iterated towards the minimax error) and measures the
 * float32 result.
 */
struct OddRational {
  float limit;
  float p[4];  // p0 … p3
  float q[4];  // q0 … q3; q4 = 1
};

inline v128_t odd_rational(v128_t a, const OddRational& r) {
  const v128_t limit = wasm_f32x4_splat(r.limit);
  // pmin/pmax (`b < a ? b : a`) are one minps/maxps each on x64, where the IEEE min/max that
  // wasm's f32x4.min/max promise (NaN and ±0 rules) cost V8 about eight instructions each. The
  // operand order keeps a NaN input (every comparison with it is false, so `a` comes back) and −0.
  const v128_t x = wasm_f32x4_pmax(wasm_f32x4_pmin(a, limit), wasm_f32x4_neg(limit));
  const v128_t y = wasm_f32x4_mul(x, x);
  auto madd = [&y](v128_t v, float c) { return wasm_f32x4_add(wasm_f32x4_mul(y, v), wasm_f32x4_splat(c)); };
  v128_t p = wasm_f32x4_add(wasm_f32x4_mul(y, wasm_f32x4_splat(r.p[3])), wasm_f32x4_splat(r.p[2]));
  p = madd(p, r.p[1]);
  p = madd(p, r.p[0]);
  v128_t q = wasm_f32x4_add(y, wasm_f32x4_splat(r.q[3]));
  q = madd(q, r.q[2]);
  q = madd(q, r.q[1]);
  q = madd(q, r.q[0]);
  return wasm_f32x4_div(wasm_f32x4_mul(x, p), q);
}

// tanh on [-7.90531, 7.90531] (beyond it tanh rounds to ±1 in float32). Measured by
// scripts/fit-activations.py over every 1e-4 of [-20, 20]: at most 4.2e-7 from tanh in float32.
// At 0 the ratio is p0/q0 = 1 exactly, so tanh(x) = x for tiny x and ±0 stays ±0.
constexpr OddRational kTanh{7.90531110763549805f,
                            {4.018620500e+06f, 5.197393125e+05f, 1.189206250e+04f, 4.628937912e+01f},
                            {4.018620500e+06f, 1.859275750e+06f, 9.584023438e+04f, 9.638206177e+02f}};

// σ(x) − ½ = tanh(x/2)/2: the same fit with x/2 and the halving folded into the coefficients (two
// multiplies fewer than going through tanh). At most 2.4e-7 from σ in float32.
constexpr OddRational kSigmoidMinusHalf{2 * 7.90531110763549805f,
                                        {2.571917120e+08f, 8.315829000e+06f, 4.756825000e+04f, 4.628937912e+01f},
                                        {1.028766848e+09f, 1.189936480e+08f, 1.533443750e+06f, 3.855282471e+03f}};

/**
 * tanh on 4 lanes: 18 operations, one of them a division, with no branch. Maximum absolute error
 * against std::tanh is below 1e-6 (kernels_test.cpp sweeps [-20, 20] every 1e-4); ±inf → ±(value
 * at the clamp), within 1e-6 of ±1; NaN → NaN.
 */
inline v128_t tanh4(v128_t a) { return odd_rational(a, kTanh); }

/** 1 / (1 + e^(−x)) on 4 lanes, as ½ + (σ(x) − ½); same guarantees as tanh4. */
inline v128_t sigmoid4(v128_t a) { return wasm_f32x4_add(wasm_f32x4_splat(0.5f), odd_rational(a, kSigmoidMinusHalf)); }

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

// Three passes: z = x + u + b into `gates`; then four units at a time, the four gates of each in
// registers from z to c; then h:
//
//   z_i = gates[j…j+3]                               (and z_f, z_c̃, z_o at n + j, 2n + j, 3n + j)
//   c = σ(z_f) ⊙ c_prev + σ(z_i) ⊙ tanh(z_c̃)        then, for every unit,   h = σ(z_o) ⊙ tanh(c)
//
// The operations and their order are those of the five passes they replace (sum, σ, tanh, σ, then
// c and h), so the results are the same bit for bit. Units past the last multiple of 4 go one at a
// time through lane 0 of the same functions.
void lstm_update(const float* x, const float* u, const float* b, const float* cell_prev, int n,
                 float* preactivation, float* gates, float* cell, float* h) {
  // z first, as a pass of its own: x is a row of a large input table that batches fetch from main
  // memory, and a loop of loads and adds keeps many of those misses in flight, where the loop below
  // would wait on each one behind the activations' arithmetic (batch 64 of `best` ran 2–5 %
  // slower with the sum inside it).
  const int width = 4 * n;
  int k = 0;
  for (; k + 4 <= width; k += 4)
    wasm_v128_store(gates + k, wasm_f32x4_add(wasm_f32x4_add(wasm_v128_load(x + k), wasm_v128_load(u + k)), wasm_v128_load(b + k)));
  for (; k < width; ++k) gates[k] = x[k] + u[k] + b[k];
  if (preactivation) std::copy_n(gates, width, preactivation);

  int j = 0;
  for (; j + 4 <= n; j += 4) {
    float* zi = gates + j;
    float* zf = zi + n;
    float* zc = zf + n;
    float* zo = zc + n;
    const v128_t i = sigmoid4(wasm_v128_load(zi)), f = sigmoid4(wasm_v128_load(zf)),
                 candidate = tanh4(wasm_v128_load(zc)), o = sigmoid4(wasm_v128_load(zo));
    wasm_v128_store(zi, i);
    wasm_v128_store(zf, f);
    wasm_v128_store(zc, candidate);
    wasm_v128_store(zo, o);
    const v128_t c_prev = cell_prev ? wasm_v128_load(cell_prev + j) : wasm_f32x4_splat(0.0f);
    wasm_v128_store(cell + j, wasm_f32x4_add(wasm_f32x4_mul(f, c_prev), wasm_f32x4_mul(i, candidate)));
  }
  // h in a loop of its own: tanh(c) waits on c, which waits on tanh(z_c̃), about a hundred cycles of
  // dependent arithmetic, and in one loop the processor's window held too few units' work to hide
  // it; apart, each loop's iterations overlap (batch 1 of `best` 5 % faster, docs/performance.md).
  for (int k = 0; k + 4 <= j; k += 4)
    wasm_v128_store(h + k, wasm_f32x4_mul(tanh4(wasm_v128_load(cell + k)), wasm_v128_load(gates + 3 * n + k)));
  auto lane0 = [](v128_t (*f)(v128_t), float v) { return wasm_f32x4_extract_lane(f(wasm_f32x4_splat(v)), 0); };
  for (; j < n; ++j) {
    const float i = lane0(sigmoid4, gates[j]), f = lane0(sigmoid4, gates[n + j]),
                candidate = lane0(tanh4, gates[2 * n + j]), o = lane0(sigmoid4, gates[3 * n + j]);
    gates[j] = i;
    gates[n + j] = f;
    gates[2 * n + j] = candidate;
    gates[3 * n + j] = o;
    cell[j] = f * (cell_prev ? cell_prev[j] : 0.0f) + i * candidate;
    h[j] = lane0(tanh4, cell[j]) * o;
  }
}

void tanh_inplace(float* v, int n) { map_inplace(v, n, tanh4); }

void sigmoid_inplace(float* v, int n) { map_inplace(v, n, sigmoid4); }

}  // namespace unroll::kernels

#endif
