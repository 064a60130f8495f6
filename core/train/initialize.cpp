#include "train/initialize.h"

#include <random>

namespace unroll::train {

namespace {

/** The standard library's draws: what tools/train has always drawn (libstdc++). */
struct StdDraws {
  std::mt19937 engine;
  float uniform(float low, float high) { return std::uniform_real_distribution<float>(low, high)(engine); }
  auto normals() {
    return [this, normal = std::normal_distribution<float>(0.0f, 1.0f)]() mutable { return normal(engine); };
  }
};

}  // namespace

ModelWeights random_weights(const ModelConfig& config, unsigned seed) {
  StdDraws draws{std::mt19937(seed)};
  return keras_initial_weights(config, draws);
}

}  // namespace unroll::train
