#include "nn/model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "kernels/kernels.h"
#include "nn/limits.h"
#include "nn/pooling.h"
#include "nn/recurrent_layer.h"

namespace unroll {

namespace {
// The largest weight magnitude a model may have (the largest F16). Hidden states stay in [-1, 1]
// (LSTM cells grow by at most 1 per step), so with every weight within this bound and widths
// within ModelConfig's (≤ 4096) no pre-activation can reach float's range: finite weights beyond
// it can make x·W + h·U overflow to inf − inf = NaN, a model whose every verdict is NaN.
constexpr float kMaxWeight = 65504.0f;

/** "" or what is wrong with the first weight of `name` beyond ±kMaxWeight (or not finite). */
std::string check_magnitude(const std::string& name, const float* values, Eigen::Index count) {
  for (Eigen::Index i = 0; i < count; ++i) {
    if (!(std::fabs(values[i]) <= kMaxWeight)) {  // also catches NaN
      char value[32];
      std::snprintf(value, sizeof value, "%g", static_cast<double>(values[i]));
      return "tensor '" + name + "' has a weight of " + value +
             " (at most 65504 in magnitude: larger weights can overflow the forward pass)";
    }
  }
  return "";
}

/** The first weight out of bounds, named as in the model file (docs/model-format.md), or "". */
std::string check_magnitudes(const ModelConfig& config, const ModelWeights& weights) {
  std::string error = check_magnitude("embedding", weights.embedding.data(), weights.embedding.size());
  for (std::size_t i = 0; i < weights.rnn.size() && error.empty(); ++i) {
    const RecurrentWeights& w = weights.rnn[i];
    const std::string prefix = "rnn." + std::to_string(i / config.directions()) +
                               (i % config.directions() ? ".bwd." : ".fwd.");
    error = check_magnitude(prefix + "kernel", w.kernel.data(), w.kernel.size());
    if (error.empty()) error = check_magnitude(prefix + "recurrent_kernel", w.recurrent_kernel.data(), w.recurrent_kernel.size());
    if (error.empty()) error = check_magnitude(prefix + "bias", w.bias.data(), w.bias.size());
    if (error.empty()) error = check_magnitude(prefix + "recurrent_bias", w.recurrent_bias.data(), w.recurrent_bias.size());
  }
  if (error.empty()) error = check_magnitude("head.kernel", weights.head_kernel.data(), weights.head_kernel.size());
  if (error.empty()) error = check_magnitude("head.bias", &weights.head_bias, 1);
  return error;
}
}  // namespace

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

Result<Model> Model::create(ModelConfig config, ModelWeights weights, Vocabulary vocabulary) {
  if (Status s = config.validate(); !s) return Error{s.error()};
  if (Status s = weights.check_shapes(config); !s) return Error{s.error()};
  if (vocabulary.size() != config.vocab_size) {
    return Error{"vocabulary has " + std::to_string(vocabulary.words().size()) +
                 " words, config vocab_size " + std::to_string(config.vocab_size) + " expects " +
                 std::to_string(config.vocab_size - Vocabulary::kFirstWord)};
  }
  if (std::string error = check_magnitudes(config, weights); !error.empty()) return Error{error};
  return Model(std::move(config), std::move(weights), std::move(vocabulary));
}

Model::Model(ModelConfig config, ModelWeights weights, Vocabulary vocabulary)
    : config_(std::move(config)), weights_(std::move(weights)), vocabulary_(std::move(vocabulary)) {
  // A masked model's padding steps would leave every state as it is, so its reviews are read
  // without them (and run() skips any padding id it is handed).
  config_.sequence.pad = !config_.mask_padding;
  // The layers refer to weights_.rnn's elements; moving a Model moves the vector's buffer, so
  // those references stay valid (std::vector's move keeps element addresses).
  for (int layer = 0; layer < config_.layers; ++layer) {
    for (int direction = 0; direction < config_.directions(); ++direction) {
      layers_.push_back(std::make_unique<RecurrentLayer>(
          config_.cell, weights_.rnn[layer * config_.directions() + direction], config_.units,
          direction == 1));
    }
  }
  // Layer 0's input part x_t·W depends only on the word, so it is computed once per word:
  // a time step of the first layer then costs one table row plus the recurrent product.
  const Eigen::Index gates = gate_count(config_.cell) * config_.units;
  if (Eigen::Index(config_.vocab_size) * gates <= limits::kMaxInputTableFloats) {
    for (int direction = 0; direction < config_.directions(); ++direction)
      input_tables_.push_back(weights_.embedding * weights_.rnn[direction].kernel);
  }
}

const RecurrentLayer& Model::layer(int index) const { return *layers_[index]; }

Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

const std::vector<int>& Model::steps_of(const std::vector<int>& ids) {
  if (!config_.mask_padding) return ids;
  words_.clear();
  for (int id : ids)
    if (id != Vocabulary::kPadding) words_.push_back(id);
  return words_;
}

float Model::logit(const std::vector<int>& ids) { return run(steps_of(ids), nullptr); }

float Model::predict(const std::vector<int>& ids) { return sigmoid(run(steps_of(ids), nullptr)); }

void Model::trace(const std::vector<int>& ids, Trace& trace) {
  const std::vector<int>& steps = steps_of(ids);
  trace.ids = steps;
  trace.logit = run(steps, &trace);
  trace.probability = sigmoid(trace.logit);
}

Status Model::set_knockouts(std::vector<Knockout> knockouts) {
  for (const Knockout& k : knockouts) {
    const std::string which = "knockout of layer " + std::to_string(k.layer) + ", direction " +
                              std::to_string(k.direction) + ", unit " + std::to_string(k.unit);
    if (k.layer < 0 || k.layer >= config_.layers || k.direction < 0 ||
        k.direction >= config_.directions() || k.unit < 0 || k.unit >= config_.units)
      return Error{which + ": out of range (" + std::to_string(config_.layers) + " layers, " +
                   std::to_string(config_.directions()) + " directions, " +
                   std::to_string(config_.units) + " units)"};
    // Hidden states live in [-1, 1]; the overflow bound in check_magnitudes relies on it.
    if (!(std::fabs(k.value) <= 1.0f)) return Error{which + ": value must be within [-1, 1]"};
  }
  knockouts_ = std::move(knockouts);
  std::vector<std::vector<UnitClamp>> clamps(layers_.size());
  for (const Knockout& k : knockouts_)
    clamps[k.layer * config_.directions() + k.direction].push_back({k.unit, k.value});
  for (std::size_t i = 0; i < layers_.size(); ++i) layers_[i]->set_clamps(std::move(clamps[i]));
  return Status::success();
}

void Model::first_layer_input(const std::vector<int>& ids, int direction) {
  const int steps = static_cast<int>(ids.size());
  auto word = [&](int t) {
    const int id = ids[t];
    return id >= 0 && id < config_.vocab_size ? id : Vocabulary::kOutOfVocabulary;
  };
  if (!input_tables_.empty()) {
    const Matrix& table = input_tables_[direction];
    for (int t = 0; t < steps; ++t) input_parts_.row(t) = table.row(word(t));
    return;
  }
  for (int t = 0; t < steps; ++t) embedded_.row(t) = weights_.embedding.row(word(t));
  const kernels::PackedMatrix& kernel = layers_[direction]->packed_kernel();
  kernels::matrix_product(embedded_.data(), steps, static_cast<int>(embedded_.cols()), kernel,
                          input_parts_.data(), kernel.n_out);
}

float Model::run(const std::vector<int>& ids, Trace* trace) {
  const int steps = static_cast<int>(ids.size());
  const int directions = config_.directions();
  const int width = config_.units * directions;
  const int gates = gate_count(config_.cell) * config_.units;

  // Buffers only grow, so a model that has seen a sequence this long allocates nothing more.
  auto ensure = [steps](Matrix& m, Eigen::Index cols) {
    if (m.rows() < steps || m.cols() != cols) m.resize(std::max<Eigen::Index>(steps, 1), cols);
  };
  ensure(sequence_[0], width);
  ensure(sequence_[1], width);
  ensure(input_parts_, gates);
  if (input_tables_.empty()) ensure(embedded_, config_.embedding_dim);

  if (trace) {
    trace->layers.resize(layers_.size());
  }

  for (int layer = 0; layer < config_.layers; ++layer) {
    const Matrix& below = sequence_[(layer + 1) % 2];
    Matrix& output = sequence_[layer % 2];
    for (int direction = 0; direction < directions; ++direction) {
      const int index = layer * directions + direction;
      RecurrentLayer& recurrent = *layers_[index];
      if (layer == 0) {
        first_layer_input(ids, direction);
      } else {
        // x_t·W for every step at once (rows of `below` and of input_parts_ are contiguous).
        const kernels::PackedMatrix& kernel = recurrent.packed_kernel();
        kernels::matrix_product(below.data(), steps, static_cast<int>(below.cols()), kernel,
                                input_parts_.data(), kernel.n_out);
      }
      LayerTrace* layer_trace = nullptr;
      if (trace) {
        layer_trace = &trace->layers[index];
        layer_trace->layer = layer;
        layer_trace->direction = direction;
        layer_trace->gates.resize(steps, gates);
        layer_trace->recurrent_part.resize(steps, gates);
        layer_trace->preactivation.resize(steps, gates);
        layer_trace->cell.resize(config_.cell == CellType::Lstm ? steps : 0, config_.units);
      }
      recurrent.run(input_parts_, steps, output, direction * config_.units, layer_trace);
    }
  }

  // The head reads the last layer's final forward state and, for bidirectional models, the
  // backward state after it has read the whole review (which sits at step 0); or that layer's
  // output pooled over every step run (core/nn/pooling.h).
  const Matrix& top = sequence_[(config_.layers - 1) % 2];
  const float logit = head_logit(config_, top, steps, weights_.head_kernel, weights_.head_bias);
  if (trace) running_logits(config_, top, steps, weights_.head_kernel, weights_.head_bias, trace->running_logit);
  return logit;
}

}  // namespace unroll
