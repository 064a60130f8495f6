// The kernels alone (core/kernels), on the shapes of the shipped models: ns per call and GFLOP/s,
// best of 7 rounds. What docs/performance.md quotes for the vector-matrix product, the panels
// and the activations. Built and run by bench/wasm/kernels.sh (wasm SIMD, node); it also
// compiles natively against kernels_plain.cpp.
// Usage: kernels_bench [ROUNDS]      prints one table.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "kernels/kernels.h"

using namespace unroll;

namespace {

std::vector<float> wave(std::size_t n, float frequency, float scale) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = scale * std::sin(frequency * static_cast<float>(i));
  return v;
}

/** Best ns per call of `call` over `rounds` rounds of `repeats` calls. */
double best_ns(const std::function<void()>& call, int repeats, int rounds) {
  double best = 1e300;
  for (int round = 0; round < rounds; ++round) {
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < repeats; ++r) call();
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count() / repeats);
  }
  return best;
}

void row(const char* kernel, const char* shape, double ns, double flops) {
  if (flops > 0) std::printf("%-40s %-22s %10.1f ns %7.1f GF/s\n", kernel, shape, ns, flops / ns);
  else std::printf("%-40s %-22s %10.1f ns\n", kernel, shape, ns);
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
  std::printf("backend %s, best of %d rounds\n", kernels::backend_name(), rounds);
  char shape[64];

  // One time step's h_{t-1}·U at batch 1: SimpleRNN 64 × 64, GRU 64 × 192, LSTM 64 × 256.
  for (int n_out : {64, 192, 256}) {
    const int n_in = 64;
    const std::vector<float> w = wave(std::size_t(n_in) * n_out, 0.37f, 0.1f);
    std::vector<float> x = wave(n_in, 0.7f, 1.0f), y(n_out);
    const kernels::PackedMatrix packed = kernels::pack(w.data(), n_in, n_out);
    const int repeats = 200000 * 64 / n_out;
    const double flops = 2.0 * n_in * n_out;
    std::snprintf(shape, sizeof shape, "%d × %d", n_in, n_out);
    // Each call feeds a little of its output back, as the recurrence does, so nothing is hoisted.
    row("vector_matrix (W as it is)", shape, best_ns([&] {
      kernels::vector_matrix(x.data(), n_in, w.data(), n_out, y.data());
      x[0] += y[1] * 1e-9f;
    }, repeats, rounds), flops);
    row("matrix_product, 1 row, packed W", shape, best_ns([&] {
      kernels::matrix_product(x.data(), 1, n_in, packed, y.data(), n_out);
      x[0] += y[1] * 1e-9f;
    }, repeats, rounds), flops);
  }

  // x_t·W of a whole sequence (layers above 0) and a batched step: 80 and 256 rows.
  for (int rows : {80, 256}) {
    for (int n_in : {64, 128}) {
      for (int n_out : {64, 256}) {
        const std::vector<float> w = wave(std::size_t(n_in) * n_out, 0.37f, 0.1f);
        const std::vector<float> x = wave(std::size_t(rows) * n_in, 0.7f, 1.0f);
        std::vector<float> y(std::size_t(rows) * n_out);
        const kernels::PackedMatrix packed = kernels::pack(w.data(), n_in, n_out);
        const int repeats = std::max(1, 2000000 / (rows * n_out));
        const double flops = 2.0 * rows * n_in * n_out;
        std::snprintf(shape, sizeof shape, "%d × %d · %d × %d", rows, n_in, n_in, n_out);
        row("matrix_product (W as it is)", shape, best_ns([&] {
          kernels::matrix_product(x.data(), rows, n_in, w.data(), n_out, y.data());
        }, repeats, rounds), flops);
        row("matrix_product, packed W", shape, best_ns([&] {
          kernels::matrix_product(x.data(), rows, n_in, packed, y.data(), n_out);
        }, repeats, rounds), flops);
      }
    }
  }

  // The activations on one step's gates: 64 (SimpleRNN, an LSTM's c̃ or tanh c) and 192 values.
  for (int n : {64, 192}) {
    const std::vector<float> input = wave(n, 0.3f, 4.0f);
    std::vector<float> v = input;
    const int repeats = 400000 * 64 / n;
    std::snprintf(shape, sizeof shape, "%d values", n);
    row("tanh_inplace", shape, best_ns([&] {
      std::copy(input.begin(), input.end(), v.begin());
      kernels::tanh_inplace(v.data(), n);
    }, repeats, rounds), 0);
    row("sigmoid_inplace", shape, best_ns([&] {
      std::copy(input.begin(), input.end(), v.begin());
      kernels::sigmoid_inplace(v.data(), n);
    }, repeats, rounds), 0);
  }
  return 0;
}
