#include "nn/gradient_lens.h"

#include <algorithm>

#include "nn/cell.h"
#include "nn/pooling.h"
#include "nn/trace.h"

namespace unroll {

namespace {

/** d_x += d_parts · kernelᵀ: from dLogit/d(x_t·W) of every step to dLogit/dx_t. */
void add_input_gradient(const Matrix& d_parts, const Matrix& kernel, Matrix& scratch, Matrix& d_x) {
  transposed_product(d_parts, kernel, scratch);  // kernel [in × G·n]: no transposed copy needed
  d_x += scratch;
}

}  // namespace

int fade_step(const float* gradient, int steps, bool from_end) {
  float largest = 0.0f;
  for (int t = 0; t < steps; ++t) largest = std::max(largest, gradient[t]);
  if (!(largest > 0.0f)) return -1;
  for (int i = 0; i < steps; ++i) {
    const int t = from_end ? steps - 1 - i : i;
    if (gradient[t] < kFadeFraction * largest) return t;
  }
  return -1;
}

GradientLens gradient_lens(Model& model, const std::vector<int>& ids) {
  const ModelConfig& config = model.config();
  const ModelWeights& weights = model.weights();
  Trace trace;
  model.trace(ids, trace);

  GradientLens lens;
  lens.ids = trace.ids;
  lens.logit = trace.logit;
  const int steps = trace.steps();
  const int n = config.units;
  const int directions = config.directions();
  const int entries = config.layers * directions;
  const int gates = gate_count(config.cell) * n;
  const bool lstm = config.cell == CellType::Lstm;
  lens.word_gradient.setZero(steps);
  lens.grad_times_input.setZero(steps);
  lens.state_gradient.setZero(entries, steps);
  lens.fade_step.assign(entries, -1);
  if (steps == 0) return lens;

  // Which units are fixed, per entry: their h_t is a constant, so no gradient passes them.
  std::vector<std::vector<int>> clamped(entries);
  for (const Knockout& k : model.knockouts()) clamped[k.layer * directions + k.direction].push_back(k.unit);

  // dLogit/d(output of the layer being processed), [steps × units·directions]: where the head
  // reads the top layer (its final states, or every step it pools).
  Matrix top(steps, n * directions);
  for (int direction = 0; direction < directions; ++direction)
    top.middleCols(direction * n, n) = trace.layers[(config.layers - 1) * directions + direction].hidden.topRows(steps);
  Matrix d_output = head_input_gradient(config, top, steps, weights.head_kernel);

  const Matrix zero_row = Matrix::Zero(1, n);
  const Matrix none;
  Matrix d_parts(steps, gates);     // dLogit/d(x_t·W + b) of one direction
  Matrix d_recurrent(1, gates);     // what cell_backward writes for h_{t-1}·U (unused here)
  Matrix d_h(1, n), d_state(1, n), d_cell(1, n);
  Matrix d_below;
  Matrix d_product;  // [steps × input width] scratch

  for (int layer = config.layers - 1; layer >= 0; --layer) {
    d_below.setZero(steps, config.input_dim(layer));
    for (int direction = 0; direction < directions; ++direction) {
      const int index = layer * directions + direction;
      const LayerTrace& lt = trace.layers[index];
      const RecurrentWeights& w = weights.rnn[index];
      const bool reverse = direction == 1;
      d_state.setZero();
      d_cell.setZero();
      for (int k = steps - 1; k >= 0; --k) {
        const int t = reverse ? steps - 1 - k : k;
        const int t_prev = reverse ? t + 1 : t - 1;
        const bool first = k == 0;  // h_{t-1} is h_0 = 0
        d_h = d_output.block(t, direction * n, 1, n) + d_state;
        for (int unit : clamped[index]) d_h(0, unit) = 0.0f;
        lens.state_gradient(index, t) = d_h.norm();
        const CellBackwardInput in{
            d_h,
            first ? ConstRows(zero_row) : ConstRows(lt.hidden.middleRows(t_prev, 1)),
            lt.hidden.middleRows(t, 1),
            lt.gates.middleRows(t, 1),
            lt.recurrent_part.middleRows(t, 1),
            !lstm ? ConstRows(none) : first ? ConstRows(zero_row) : ConstRows(lt.cell.middleRows(t_prev, 1)),
            lstm ? ConstRows(lt.cell.middleRows(t, 1)) : ConstRows(none)};
        cell_backward(config.cell, w, in, {d_parts.middleRows(t, 1), d_recurrent, d_state, d_cell});
      }
      add_input_gradient(d_parts, w.kernel, d_product, d_below);
      lens.fade_step[index] = fade_step(lens.state_gradient.row(index).data(), steps, !reverse);
    }
    d_output.swap(d_below);
  }

  // d_output now holds dLogit/dx_t for the embedding rows read.
  for (int t = 0; t < steps; ++t) {
    const int id = trace.ids[t];
    const int word = id >= 0 && id < config.vocab_size ? id : Vocabulary::kOutOfVocabulary;
    lens.word_gradient[t] = d_output.row(t).norm();
    lens.grad_times_input[t] = d_output.row(t).dot(weights.embedding.row(word));
  }
  return lens;
}

}  // namespace unroll
