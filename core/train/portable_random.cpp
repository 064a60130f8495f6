#include "train/portable_random.h"

#include "train/initialize.h"

#include <algorithm>
#include <cmath>

namespace unroll::train {

float PortableRandom::normal() {
  // 1 - uniform() is in (0, 1]: the logarithm is finite.
  const float u = 1.0f - uniform(), v = uniform();
  return std::sqrt(-2.0f * std::log(u)) * std::cos(6.2831853071795864f * v);
}

std::uint32_t PortableRandom::below(std::uint32_t n) {
  const std::uint32_t limit = 0xffffffffu - 0xffffffffu % n;  // a multiple of n
  for (;;) {
    const std::uint32_t x = engine_();
    if (x < limit) return x % n;
  }
}

ModelWeights portable_random_weights(const ModelConfig& config, unsigned seed) {
  PortableRandom rng(seed);
  return keras_initial_weights(config, rng);
}

void portable_stratified_split(const std::vector<float>& labels, double fraction, unsigned seed,
                               std::vector<int>& train, std::vector<int>& validation) {
  train.clear();
  validation.clear();
  PortableRandom rng(seed);
  for (int label = 0; label <= 1; ++label) {
    std::vector<int> members;
    for (std::size_t i = 0; i < labels.size(); ++i)
      if (static_cast<int>(labels[i]) == label) members.push_back(static_cast<int>(i));
    rng.shuffle(members);
    const auto held = static_cast<std::size_t>(std::lround(fraction * members.size()));
    validation.insert(validation.end(), members.begin(), members.begin() + held);
    train.insert(train.end(), members.begin() + held, members.end());
  }
  std::sort(train.begin(), train.end());
  std::sort(validation.begin(), validation.end());
}

DropoutMasks portable_dropout(const ModelConfig& config, int batch, float rate, PortableRandom& rng) {
  DropoutMasks dropout;
  if (rate <= 0.0f) return dropout;
  const float keep = 1.0f / (1.0f - rate);
  for (int layer = 0; layer < config.layers; ++layer) {
    for (int direction = 0; direction < config.directions(); ++direction) {
      Matrix mask(batch, config.input_dim(layer));
      for (Eigen::Index i = 0; i < mask.size(); ++i) mask.data()[i] = rng.uniform() < rate ? 0.0f : keep;
      dropout.masks.push_back(std::move(mask));
    }
  }
  return dropout;
}

}  // namespace unroll::train
