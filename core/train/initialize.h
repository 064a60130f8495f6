#pragma once
// Where training starts: Keras' default initialisers for every weight.

#include <cmath>

#include "nn/config.h"
#include "nn/weights.h"

namespace unroll::train {

/**
 * Keras' default initialisers, drawn from `random`: `random.uniform(low, high)` gives one uniform
 * draw, `random.normals()` a fresh source of N(0, 1) draws (one per matrix, as a distribution object
 * made per matrix would). Two kinds of source exist: the standard library's distributions
 * (random_weights, tools/train's draws since the first models) and PortableRandom (the same numbers
 * natively and in WebAssembly, for the in-browser trainer).
 *   embedding          uniform(-0.05, 0.05)
 *   kernels, head      Glorot uniform: ±sqrt(6 / (fan_in + fan_out))
 *   recurrent kernels  orthogonal per gate block (Gram-Schmidt on Gaussian noise): gain near 1
 *   biases             0, the LSTM forget gate's 1 (unit_forget_bias: start remembering)
 */
template <class Random>
ModelWeights keras_initial_weights(const ModelConfig& config, Random& random) {
  auto glorot_uniform = [&random](Matrix& m) {
    const float limit = std::sqrt(6.0f / static_cast<float>(m.rows() + m.cols()));
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = random.uniform(-limit, limit);
  };
  auto orthogonal_blocks = [&random](Matrix& m, int units) {
    auto normal = random.normals();
    for (Eigen::Index block = 0; block < m.cols() / units; ++block) {
      Matrix q(units, units);
      for (Eigen::Index i = 0; i < q.size(); ++i) q.data()[i] = normal();
      for (int c = 0; c < units; ++c) {
        for (int prev = 0; prev < c; ++prev) q.col(c) -= q.col(prev).dot(q.col(c)) * q.col(prev);
        q.col(c).normalize();
      }
      m.block(0, block * units, units, units) = q;
    }
  };
  ModelWeights w = ModelWeights::zeros(config);
  for (Eigen::Index i = 0; i < w.embedding.size(); ++i) w.embedding.data()[i] = random.uniform(-0.05f, 0.05f);
  for (RecurrentWeights& r : w.rnn) {
    glorot_uniform(r.kernel);
    orthogonal_blocks(r.recurrent_kernel, config.units);
    if (config.cell == CellType::Lstm) r.bias.segment(config.units, config.units).setOnes();
  }
  Matrix head(config.head_dim(), 1);
  glorot_uniform(head);
  w.head_kernel = head.col(0);
  return w;
}

/** Glorot-uniform kernels, orthogonal recurrent gate blocks, zero biases (LSTM forget bias 1). */
ModelWeights random_weights(const ModelConfig& config, unsigned seed);

}  // namespace unroll::train
