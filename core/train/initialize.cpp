#include "train/initialize.h"

#include <cmath>
#include <random>

namespace unroll::train {

namespace {

// Glorot/Xavier uniform, Keras' default for kernels.
void glorot_uniform(Matrix& m, std::mt19937& rng) {
  const float limit = std::sqrt(6.0f / static_cast<float>(m.rows() + m.cols()));
  std::uniform_real_distribution<float> dist(-limit, limit);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = dist(rng);
}

// Orthogonal columns per gate block (Keras' default for recurrent kernels), by Gram-Schmidt on
// Gaussian noise: keeps the recurrence's gain near 1 at initialisation.
void orthogonal_blocks(Matrix& m, int units, std::mt19937& rng) {
  std::normal_distribution<float> dist(0.0f, 1.0f);
  for (Eigen::Index block = 0; block < m.cols() / units; ++block) {
    Matrix q(units, units);
    for (Eigen::Index i = 0; i < q.size(); ++i) q.data()[i] = dist(rng);
    for (int c = 0; c < units; ++c) {
      for (int prev = 0; prev < c; ++prev) q.col(c) -= q.col(prev).dot(q.col(c)) * q.col(prev);
      q.col(c).normalize();
    }
    m.block(0, block * units, units, units) = q;
  }
}

}  // namespace

ModelWeights random_weights(const ModelConfig& config, unsigned seed) {
  std::mt19937 rng(seed);
  ModelWeights w = ModelWeights::zeros(config);
  // Keras' Embedding initialiser: uniform(-0.05, 0.05).
  std::uniform_real_distribution<float> small(-0.05f, 0.05f);
  for (Eigen::Index i = 0; i < w.embedding.size(); ++i) w.embedding.data()[i] = small(rng);
  for (RecurrentWeights& r : w.rnn) {
    glorot_uniform(r.kernel, rng);
    orthogonal_blocks(r.recurrent_kernel, config.units, rng);
    // Keras' unit_forget_bias: start LSTMs remembering.
    if (config.cell == CellType::Lstm) r.bias.segment(config.units, config.units).setOnes();
  }
  Matrix head(config.head_dim(), 1);
  glorot_uniform(head, rng);
  w.head_kernel = head.col(0);
  return w;
}

}  // namespace unroll::train
