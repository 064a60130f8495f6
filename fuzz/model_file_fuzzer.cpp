// Arbitrary bytes as a model file: either a clear error, or a model that runs.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "io/model_file.h"
#include "nn/model.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto file = unroll::read_model(data, size, "fuzz.safetensors");
  if (!file.ok()) {
    if (file.error().empty()) std::abort();  // every failure must say something
    return 0;
  }
  unroll::ModelFile& model_file = file.value();
  auto model = unroll::Model::create(model_file.config, std::move(model_file.weights),
                                     std::move(model_file.vocabulary));
  if (!model.ok()) return 0;
  const float p = model.value().predict({1, 3, 2, 0, 5, 4});
  if (!(p >= 0.0f && p <= 1.0f)) std::abort();  // loaded weights are finite, so p is a probability
  return 0;
}
