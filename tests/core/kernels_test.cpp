// The inference kernels (core/kernels) against plain double-precision references. The same tests
// run natively (Eigen backend), in the scalar wasm build (Eigen, no SIMD) and in the SIMD wasm
// build (hand-written wasm_simd128), so every backend answers to the same contract.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/kernels.h"

using namespace unroll;

namespace {

std::vector<float> random_values(std::size_t n, unsigned seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(-scale, scale);
  std::vector<float> v(n);
  for (float& x : v) x = uniform(rng);
  return v;
}

/** Every float from -20 to 20 in steps of 1e-4, and the awkward ones. */
std::vector<float> sweep() {
  std::vector<float> v;
  for (int k = -200000; k <= 200000; ++k) v.push_back(static_cast<float>(k * 1e-4));
  for (float x : {0.0f, -0.0f, 1e-30f, -1e-30f, 1e-40f, -1e-40f, 3.9e-4f, -3.9e-4f, 4.1e-4f, 7.9f, 7.95f,
                  8.0f, -8.0f, 9.0f, 25.0f, -25.0f, 88.0f, -88.0f, 100.0f, -100.0f, 1e10f, -1e10f,
                  std::numeric_limits<float>::max(), std::numeric_limits<float>::lowest(),
                  std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()})
    v.push_back(x);
  return v;
}

/** Largest |f(x) − reference(x)| over `inputs`, computed through an in-place kernel. */
template <class Kernel, class Reference>
double max_error(const std::vector<float>& inputs, Kernel kernel, Reference reference, float* worst_x) {
  std::vector<float> v = inputs;
  kernel(v.data(), static_cast<int>(v.size()));
  double worst = 0.0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double error = std::abs(static_cast<double>(v[i]) - reference(static_cast<double>(inputs[i])));
    if (!(error <= worst)) {
      worst = std::isnan(error) ? INFINITY : error;
      *worst_x = inputs[i];
    }
  }
  return worst;
}

double reference_sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

TEST_CASE("the backend is the one the build asked for", "[kernels]") {
#if defined(UNROLL_WASM_SIMD)
  CHECK(std::string(kernels::backend_name()) == "wasm_simd128");
#else
  CHECK(std::string(kernels::backend_name()) == "eigen");
#endif
}

TEST_CASE("vector_matrix: y = x·W for row-major W, every shape the blocking can meet", "[kernels]") {
  const int sizes_in[] = {1, 2, 3, 5, 16, 33, 64, 100, 128, 256};
  const int sizes_out[] = {1, 3, 4, 5, 15, 16, 17, 20, 31, 32, 33, 48, 64, 100, 192, 256, 768, 1024};
  unsigned seed = 1;
  for (int n_in : sizes_in) {
    for (int n_out : sizes_out) {
      const std::vector<float> x = random_values(n_in, seed++);
      const std::vector<float> w = random_values(static_cast<std::size_t>(n_in) * n_out, seed++, 0.5f);
      // One extra sentinel element after y: the kernel must write exactly n_out values.
      std::vector<float> y(n_out + 1, 12345.0f);
      kernels::vector_matrix(x.data(), n_in, w.data(), n_out, y.data());
      INFO("n_in " << n_in << ", n_out " << n_out);
      CHECK(y[n_out] == 12345.0f);
      double worst = 0.0;
      for (int j = 0; j < n_out; ++j) {
        double sum = 0.0, magnitude = 0.0;
        for (int i = 0; i < n_in; ++i) {
          sum += static_cast<double>(x[i]) * w[static_cast<std::size_t>(i) * n_out + j];
          magnitude += std::abs(static_cast<double>(x[i]) * w[static_cast<std::size_t>(i) * n_out + j]);
        }
        // float accumulation: a few ulps of the sum of magnitudes
        worst = std::max(worst, std::abs(y[j] - sum) / (1.0 + magnitude));
      }
      CHECK(worst < 2e-6);
    }
  }
}

TEST_CASE("vector_matrix: zero input gives exactly zero, one-hot input picks a row", "[kernels]") {
  const int n_in = 64, n_out = 256;
  const std::vector<float> w = random_values(static_cast<std::size_t>(n_in) * n_out, 99);
  std::vector<float> x(n_in, 0.0f), y(n_out, 1.0f);
  kernels::vector_matrix(x.data(), n_in, w.data(), n_out, y.data());
  for (float v : y) CHECK(v == 0.0f);
  x[37] = 1.0f;
  kernels::vector_matrix(x.data(), n_in, w.data(), n_out, y.data());
  CHECK(std::memcmp(y.data(), &w[37 * n_out], sizeof(float) * n_out) == 0);
}

TEST_CASE("tanh_inplace: within 1e-6 of std::tanh on every 1e-4 step of [-20, 20] and ±inf", "[kernels]") {
  const std::vector<float> inputs = sweep();
  float worst_x = 0.0f;
  const double worst = max_error(inputs, kernels::tanh_inplace, [](double x) { return std::tanh(x); }, &worst_x);
  INFO("worst error " << worst << " at x = " << worst_x);
  CHECK(worst <= 1e-6);
  // Odd function, bounded, and exactly 0 at 0.
  std::vector<float> v = {0.0f, 3.0f, -3.0f, 1e6f, -1e6f};
  kernels::tanh_inplace(v.data(), static_cast<int>(v.size()));
  CHECK(v[0] == 0.0f);
  CHECK(v[1] == -v[2]);
  CHECK(std::abs(v[3]) <= 1.0f);
  CHECK(std::abs(v[4]) <= 1.0f);
  // Near 0, tanh(x) = x to float precision, relative and not only absolute (normal floats; in
  // subnormals x² underflows): the SIMD backend has no small-|x| branch and relies on its
  // rational function's constant terms for this.
  std::vector<float> small = {1e-4f, -3e-4f, 1e-6f, -1e-12f, 1e-30f, -0.0f, 5e-4f, -1e-3f};
  const std::vector<float> x = small;
  kernels::tanh_inplace(small.data(), static_cast<int>(small.size()));
  for (std::size_t i = 0; i < x.size(); ++i) {
    INFO("x = " << x[i] << ", tanh = " << small[i]);
    CHECK(std::abs(small[i] - std::tanh(double(x[i]))) <= 2e-7 * std::abs(double(x[i])));
  }
  CHECK(std::signbit(small[5]));
}

TEST_CASE("sigmoid_inplace: within 1e-6 of 1/(1+e^-x) on every 1e-4 step of [-20, 20] and ±inf", "[kernels]") {
  const std::vector<float> inputs = sweep();
  float worst_x = 0.0f;
  const double worst = max_error(inputs, kernels::sigmoid_inplace, reference_sigmoid, &worst_x);
  INFO("worst error " << worst << " at x = " << worst_x);
  CHECK(worst <= 1e-6);
  std::vector<float> v = {0.0f, std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
  kernels::sigmoid_inplace(v.data(), 3);
  CHECK(std::abs(v[0] - 0.5f) <= 1e-7f);
  CHECK(v[1] >= 0.0f);
  CHECK(v[1] <= 1.0f);
  CHECK(v[2] >= 0.0f);
  CHECK(v[2] <= 1.0f);
}

TEST_CASE("activations: NaN in, NaN out; every length (vector body and tail) is covered", "[kernels]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (int n = 0; n <= 9; ++n) {
    std::vector<float> t(n + 1, 0.5f), s(n + 1, 0.5f);
    if (n > 0) t[n - 1] = s[n - 1] = nan;
    t[n] = s[n] = 777.0f;  // sentinel past the end
    kernels::tanh_inplace(t.data(), n);
    kernels::sigmoid_inplace(s.data(), n);
    INFO("n = " << n);
    CHECK(t[n] == 777.0f);
    CHECK(s[n] == 777.0f);
    for (int i = 0; i + 1 < n; ++i) {
      CHECK(std::abs(t[i] - std::tanh(0.5f)) <= 1e-6f);
      CHECK(std::abs(s[i] - 1.0f / (1.0f + std::exp(-0.5f))) <= 1e-6f);
    }
    if (n > 0) {
      CHECK(std::isnan(t[n - 1]));
      CHECK(std::isnan(s[n - 1]));
    }
  }
}

TEST_CASE("matrix_product: every row equals vector_matrix on it, all row and column tails", "[kernels]") {
  unsigned seed = 500;
  for (int rows : {0, 1, 3, 4, 5, 8, 13, 80}) {
    for (int n_in : {1, 7, 64, 100}) {
      for (int n_out : {1, 4, 7, 8, 9, 16, 20, 64, 256}) {
        const std::vector<float> x = random_values(static_cast<std::size_t>(rows) * n_in, seed++);
        const std::vector<float> w = random_values(static_cast<std::size_t>(n_in) * n_out, seed++, 0.5f);
        std::vector<float> y(static_cast<std::size_t>(rows) * n_out + 1, -4321.0f);
        kernels::matrix_product(x.data(), rows, n_in, w.data(), n_out, y.data());
        INFO("rows " << rows << ", n_in " << n_in << ", n_out " << n_out);
        CHECK(y.back() == -4321.0f);
        std::vector<float> row(n_out);
        double worst = 0.0;
        for (int r = 0; r < rows; ++r) {
          kernels::vector_matrix(&x[static_cast<std::size_t>(r) * n_in], n_in, w.data(), n_out, row.data());
          for (int j = 0; j < n_out; ++j)
            worst = std::max(worst, double(std::abs(row[j] - y[static_cast<std::size_t>(r) * n_out + j])));
        }
        CHECK(worst <= 1e-5);
      }
    }
  }
}

TEST_CASE("matrix_product with strides reads and writes column blocks of wider matrices", "[kernels]") {
  unsigned seed = 900;
  for (int rows : {1, 2, 3, 8, 17}) {
    for (int n_out : {3, 16, 20, 64, 192}) {
      const int n_in = 64, ldx = n_in + 64 + 5, ldy = n_out + 2 * 16 + 3, x_column = 64, y_column = 16;
      const std::vector<float> x = random_values(static_cast<std::size_t>(rows) * ldx, seed++);
      const std::vector<float> w = random_values(static_cast<std::size_t>(n_in) * n_out, seed++, 0.5f);
      std::vector<float> y(static_cast<std::size_t>(rows) * ldy, -4321.0f);
      kernels::matrix_product(x.data() + x_column, rows, n_in, ldx, w.data(), n_out, y.data() + y_column, ldy);
      INFO("rows " << rows << ", n_out " << n_out);
      std::vector<float> row(n_out);
      double worst = 0.0;
      int touched_outside = 0;
      for (int r = 0; r < rows; ++r) {
        const float* y_row = &y[static_cast<std::size_t>(r) * ldy];
        kernels::vector_matrix(&x[static_cast<std::size_t>(r) * ldx + x_column], n_in, w.data(), n_out, row.data());
        for (int j = 0; j < n_out; ++j) worst = std::max(worst, double(std::abs(row[j] - y_row[y_column + j])));
        for (int j = 0; j < ldy; ++j)
          if ((j < y_column || j >= y_column + n_out) && y_row[j] != -4321.0f) ++touched_outside;
      }
      CHECK(worst <= 1e-5);
      CHECK(touched_outside == 0);
    }
  }
}

TEST_CASE("matrix_product with a packed W: every row equals vector_matrix, all tails, strides", "[kernels]") {
  unsigned seed = 1100;
  for (int rows : {0, 1, 2, 3, 5, 17}) {
    for (int n_in : {1, 7, 64, 100}) {
      for (int n_out : {1, 4, 9, 15, 16, 17, 20, 33, 64, 192, 256}) {
        const int ldx = n_in + 5, ldy = n_out + 3;
        const std::vector<float> x = random_values(static_cast<std::size_t>(rows) * ldx, seed++);
        const std::vector<float> w = random_values(static_cast<std::size_t>(n_in) * n_out, seed++, 0.5f);
        const kernels::PackedMatrix packed = kernels::pack(w.data(), n_in, n_out);
        CHECK(packed.n_in == n_in);
        CHECK(packed.n_out == n_out);
        std::vector<float> y(static_cast<std::size_t>(rows) * ldy + 1, -4321.0f);
        kernels::matrix_product(x.data(), rows, ldx, packed, y.data(), ldy);
        INFO("rows " << rows << ", n_in " << n_in << ", n_out " << n_out);
        std::vector<float> row(n_out);
        double worst = 0.0;
        int touched_outside = 0;
        for (int r = 0; r < rows; ++r) {
          const float* y_row = &y[static_cast<std::size_t>(r) * ldy];
          kernels::vector_matrix(&x[static_cast<std::size_t>(r) * ldx], n_in, w.data(), n_out, row.data());
          for (int j = 0; j < n_out; ++j) worst = std::max(worst, double(std::abs(row[j] - y_row[j])));
          for (int j = n_out; j < ldy; ++j)
            if (y_row[j] != -4321.0f) ++touched_outside;
        }
        CHECK(worst <= 1e-5);
        CHECK(touched_outside == 0);
        CHECK(y.back() == -4321.0f);
      }
    }
  }
}

TEST_CASE("matrix_product_transposed: Y = X·Wᵀ against double sums, every tail, with strides", "[kernels]") {
  unsigned seed = 1300;
  for (int rows : {0, 1, 2, 5, 17}) {
    for (int n_in : {1, 3, 4, 7, 64, 100, 256}) {
      for (int n_out : {1, 3, 4, 5, 8, 64, 100}) {
        const int ldx = n_in + 3, ldy = n_out + 2;
        const std::vector<float> x = random_values(static_cast<std::size_t>(rows) * ldx + 1, seed++);
        const std::vector<float> w = random_values(static_cast<std::size_t>(n_out) * n_in, seed++, 0.5f);
        std::vector<float> y(static_cast<std::size_t>(rows) * ldy + 1, -4321.0f);
        kernels::matrix_product_transposed(x.data(), rows, n_in, ldx, w.data(), n_out, y.data(), ldy);
        INFO("rows " << rows << ", n_in " << n_in << ", n_out " << n_out);
        double worst = 0.0;
        int touched_outside = 0;
        for (int r = 0; r < rows; ++r) {
          for (int j = 0; j < n_out; ++j) {
            double sum = 0.0;
            for (int i = 0; i < n_in; ++i)
              sum += double(x[static_cast<std::size_t>(r) * ldx + i]) * w[static_cast<std::size_t>(j) * n_in + i];
            worst = std::max(worst, std::abs(sum - y[static_cast<std::size_t>(r) * ldy + j]));
          }
          for (int j = n_out; j < ldy; ++j)
            if (y[static_cast<std::size_t>(r) * ldy + j] != -4321.0f) ++touched_outside;
        }
        CHECK(worst <= 1e-5 * std::max(1.0, std::sqrt(double(n_in))));
        CHECK(touched_outside == 0);
        CHECK(y.back() == -4321.0f);
      }
    }
  }
}

TEST_CASE("lstm_update: the activation kernels in order, bit for bit, every unit count, in place", "[kernels]") {
  // The reference is the unfused step written with this backend's own tanh_inplace and
  // sigmoid_inplace, so both backends must match it exactly; a double-precision LSTM step bounds
  // the activations' error on top.
  for (int n : {1, 3, 4, 7, 8, 16, 64, 67}) {
    const std::size_t width = 4 * std::size_t(n);
    const std::vector<float> x = random_values(width, 10 + n, 3.0f), u = random_values(width, 20 + n, 3.0f),
                             b = random_values(width, 30 + n), c_prev = random_values(n, 40 + n, 2.0f);
    for (bool first : {true, false}) {
      INFO("n = " << n << (first ? ", c_0 = 0" : ", c_prev given"));
      // Reference: sum, σ(i, f), tanh(c̃), σ(o), then c and h.
      std::vector<float> g(width), c(n), h(n);
      for (std::size_t j = 0; j < width; ++j) g[j] = x[j] + u[j] + b[j];
      const std::vector<float> z = g;
      kernels::sigmoid_inplace(g.data(), 2 * n);
      kernels::tanh_inplace(g.data() + 2 * n, n);
      kernels::sigmoid_inplace(g.data() + 3 * n, n);
      for (int j = 0; j < n; ++j) c[j] = g[n + j] * (first ? 0.0f : c_prev[j]) + g[j] * g[2 * n + j];
      h = c;
      kernels::tanh_inplace(h.data(), n);
      for (int j = 0; j < n; ++j) h[j] *= g[3 * n + j];

      // The fused step, with the cell updated in place (cell == cell_prev) and a sentinel past h.
      std::vector<float> pre(width, -1.0f), gates(width, -1.0f), cell = c_prev, out(n + 1, 777.0f);
      kernels::lstm_update(x.data(), u.data(), b.data(), first ? nullptr : cell.data(), n, pre.data(), gates.data(),
                           cell.data(), out.data());
      CHECK(std::memcmp(pre.data(), z.data(), width * sizeof(float)) == 0);
      CHECK(std::memcmp(gates.data(), g.data(), width * sizeof(float)) == 0);
      CHECK(std::memcmp(cell.data(), c.data(), n * sizeof(float)) == 0);
      CHECK(std::memcmp(out.data(), h.data(), n * sizeof(float)) == 0);
      CHECK(out[n] == 777.0f);

      // Without a pre-activation buffer: the same state.
      std::vector<float> cell2 = c_prev, out2(n);
      kernels::lstm_update(x.data(), u.data(), b.data(), first ? nullptr : cell2.data(), n, nullptr, gates.data(),
                           cell2.data(), out2.data());
      CHECK(std::memcmp(out2.data(), h.data(), n * sizeof(float)) == 0);

      // Against the LSTM's equations in double precision.
      double worst = 0.0;
      for (int j = 0; j < n; ++j) {
        auto sig = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
        const double zi = double(x[j]) + u[j] + b[j], zf = double(x[n + j]) + u[n + j] + b[n + j];
        const double zc = double(x[2 * n + j]) + u[2 * n + j] + b[2 * n + j];
        const double zo = double(x[3 * n + j]) + u[3 * n + j] + b[3 * n + j];
        const double cj = sig(zf) * (first ? 0.0 : c_prev[j]) + sig(zi) * std::tanh(zc);
        worst = std::max({worst, std::abs(cj - cell[j]), std::abs(sig(zo) * std::tanh(cj) - out[j])});
      }
      CHECK(worst <= 1e-5);
    }
  }
}
