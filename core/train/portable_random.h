#pragma once
// Random draws that are the same on every platform. std::mt19937's output is fixed by the C++
// standard, but std::uniform_real_distribution, std::normal_distribution and std::shuffle are
// not: libstdc++ (native builds) and libc++ (Emscripten) draw different numbers from the same
// engine. A training run that must take the same steps natively and in WebAssembly (train::Session,
// the in-browser trainer) draws through these instead. The initialisers are the same as
// random_weights' (train/initialize.h: Keras' defaults), only the draws differ.

#include <cstdint>
#include <random>
#include <vector>

#include "nn/config.h"
#include "nn/weights.h"
#include "train/network.h"

namespace unroll::train {

class PortableRandom {
 public:
  explicit PortableRandom(unsigned seed) : engine_(seed) {}
  /** Uniform in [0, 1): the engine's top 24 bits, exactly representable as a float. */
  float uniform() { return static_cast<float>(engine_() >> 8) * (1.0f / 16777216.0f); }
  float uniform(float low, float high) { return low + (high - low) * uniform(); }
  /** Standard normal (Box-Muller, one value per call). */
  float normal();
  /** A source of standard normal draws (for keras_initial_weights). */
  auto normals() { return [this] { return normal(); }; }
  /** Uniform integer in [0, n), n > 0, without modulo bias (rejection). */
  std::uint32_t below(std::uint32_t n);
  /** Fisher-Yates. */
  template <class T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(static_cast<std::uint32_t>(i))]);
  }

 private:
  std::mt19937 engine_;
};

/** random_weights' initialisation (train/initialize.h: Keras' defaults) with portable draws. */
ModelWeights portable_random_weights(const ModelConfig& config, unsigned seed);

/** stratified_split (train/dataset.h) with portable draws. */
void portable_stratified_split(const std::vector<float>& labels, double fraction, unsigned seed,
                               std::vector<int>& train, std::vector<int>& validation);

/** DropoutMasks::sample (train/network.h) with portable draws. */
DropoutMasks portable_dropout(const ModelConfig& config, int batch, float rate, PortableRandom& rng);

}  // namespace unroll::train
