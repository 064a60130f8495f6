#include "nn/weights.h"

#include <cmath>
#include <random>
#include <string>

namespace unroll {

namespace {

const char* direction_name(int direction) { return direction == 0 ? "fwd" : "bwd"; }

std::string shape_string(Eigen::Index rows, Eigen::Index cols) {
  return "[" + std::to_string(rows) + "," + std::to_string(cols) + "]";
}

Status check(const char* name, Eigen::Index rows, Eigen::Index cols, Eigen::Index want_rows,
             Eigen::Index want_cols) {
  if (rows == want_rows && cols == want_cols) return Status::success();
  return Error{std::string("tensor '") + name + "' has shape " + shape_string(rows, cols) +
               ", expected " + shape_string(want_rows, want_cols)};
}

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

ModelWeights ModelWeights::zeros(const ModelConfig& config) {
  const int gates = gate_count(config.cell) * config.units;
  ModelWeights w;
  w.embedding = Matrix::Zero(config.vocab_size, config.embedding_dim);
  for (int layer = 0; layer < config.layers; ++layer) {
    for (int direction = 0; direction < config.directions(); ++direction) {
      RecurrentWeights r;
      r.kernel = Matrix::Zero(config.input_dim(layer), gates);
      r.recurrent_kernel = Matrix::Zero(config.units, gates);
      r.bias = Vector::Zero(gates);
      if (config.cell == CellType::Gru) r.recurrent_bias = Vector::Zero(gates);
      w.rnn.push_back(std::move(r));
    }
  }
  w.head_kernel = Vector::Zero(config.head_dim());
  return w;
}

ModelWeights ModelWeights::random(const ModelConfig& config, unsigned seed) {
  std::mt19937 rng(seed);
  ModelWeights w = zeros(config);
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

Status ModelWeights::check_shapes(const ModelConfig& config) const {
  const int gates = gate_count(config.cell) * config.units;
  if (Status s = check("embedding", embedding.rows(), embedding.cols(), config.vocab_size,
                       config.embedding_dim);
      !s)
    return s;
  const std::size_t expected_layers = static_cast<std::size_t>(config.layers * config.directions());
  if (rnn.size() != expected_layers)
    return Error{"model has " + std::to_string(rnn.size()) + " recurrent weight sets, expected " +
                 std::to_string(expected_layers)};
  for (int layer = 0; layer < config.layers; ++layer) {
    for (int direction = 0; direction < config.directions(); ++direction) {
      const RecurrentWeights& r = rnn[layer * config.directions() + direction];
      const std::string prefix =
          "rnn." + std::to_string(layer) + "." + direction_name(direction) + ".";
      if (Status s = check((prefix + "kernel").c_str(), r.kernel.rows(), r.kernel.cols(),
                           config.input_dim(layer), gates);
          !s)
        return s;
      if (Status s = check((prefix + "recurrent_kernel").c_str(), r.recurrent_kernel.rows(),
                           r.recurrent_kernel.cols(), config.units, gates);
          !s)
        return s;
      if (Status s = check((prefix + "bias").c_str(), r.bias.size(), 1, gates, 1); !s) return s;
      const Eigen::Index want_recurrent_bias = config.cell == CellType::Gru ? gates : 0;
      if (Status s = check((prefix + "recurrent_bias").c_str(), r.recurrent_bias.size(), 1,
                           want_recurrent_bias, 1);
          !s)
        return s;
    }
  }
  return check("head.kernel", head_kernel.size(), 1, config.head_dim(), 1);
}

}  // namespace unroll
