// A benchmark-only WebAssembly module: the same core (same preset, same flags as unroll-simd)
// behind a C ABI that takes id sequences, so that the benchmark can time exactly what the peers
// run (ids in, probabilities out) before the product API (wasm/api/unroll.js) has
// model.predictBatch. scripts/bench.sh builds it; nothing else uses it.
//
//   ub_load(bytes, size) → 1 ok / 0 failed (ub_error() says why)
//   ub_logit(ids, steps) → logit of one sequence through Model::logit (the page's single-review path)
//   ub_predict(ids, batch, steps, out) → probabilities through BatchRunner (ids[b·steps + t])

#include <emscripten/emscripten.h>
#include <emscripten/heap.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "io/model_file.h"
#include "kernels/kernels.h"
#include "nn/batch.h"
#include "nn/model.h"

namespace {
std::optional<unroll::Model> model;
std::optional<unroll::BatchRunner> runner;
std::string error;
std::vector<int> one;
}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE int ub_load(const std::uint8_t* data, int size) {
  runner.reset();
  model.reset();
  unroll::Result<unroll::ModelFile> file = unroll::read_model(data, std::size_t(size), "model");
  if (!file) {
    error = file.error();
    return 0;
  }
  unroll::ModelFile& m = file.value();
  unroll::Result<unroll::Model> created =
      unroll::Model::create(std::move(m.config), std::move(m.weights), std::move(m.vocabulary));
  if (!created) {
    error = created.error();
    return 0;
  }
  model.emplace(std::move(created).value());
  runner.emplace(*model);
  return 1;
}

EMSCRIPTEN_KEEPALIVE const char* ub_error() { return error.c_str(); }
EMSCRIPTEN_KEEPALIVE const char* ub_backend() { return unroll::kernels::backend_name(); }

EMSCRIPTEN_KEEPALIVE float ub_logit(const int* ids, int steps) {
  one.assign(ids, ids + steps);
  return model->logit(one);
}

EMSCRIPTEN_KEEPALIVE void ub_predict(const int* ids, int batch, int steps, float* out) {
  runner->predict(ids, batch, steps, out);
}

EMSCRIPTEN_KEEPALIVE int ub_heap_size() { return int(emscripten_get_heap_size()); }
}
