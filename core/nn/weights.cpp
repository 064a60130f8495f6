#include "nn/weights.h"

#include <cmath>
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
