#include "nn/recurrent_layer.h"

#include <algorithm>

#include "nn/gru_cell.h"
#include "nn/lstm_cell.h"
#include "nn/simple_rnn_cell.h"

namespace unroll {

std::unique_ptr<RecurrentCell> make_cell(CellType cell, const RecurrentWeights& weights,
                                         int units) {
  switch (cell) {
    case CellType::Lstm: return std::make_unique<LstmCell>(weights, units);
    case CellType::Gru: return std::make_unique<GruCell>(weights, units);
    case CellType::SimpleRnn: break;
  }
  return std::make_unique<SimpleRnnCell>(weights, units);
}

RecurrentLayer::RecurrentLayer(CellType cell, const RecurrentWeights& weights, int units,
                               bool reverse)
    : weights_(weights),
      units_(units),
      reverse_(reverse),
      cell_(make_cell(cell, weights, units)),
      zeros_(Vector::Zero(units)) {}

void RecurrentLayer::run(const Matrix& input_parts, int steps, Matrix& outputs, int column,
                         LayerTrace* trace) {
  cell_->reset();
  const float* h_prev = zeros_.data();
  StepRecord record;
  for (int i = 0; i < steps; ++i) {
    const int t = reverse_ ? steps - 1 - i : i;
    float* h = &outputs(t, column);
    if (trace) {
      record.gates = trace->gates.row(t).data();
      record.recurrent_part = trace->recurrent_part.row(t).data();
      record.preactivation = trace->preactivation.row(t).data();
      record.cell = trace->cell.size() ? trace->cell.row(t).data() : nullptr;
    }
    cell_->step(input_parts.row(t).data(), h_prev, h, trace ? &record : nullptr);
    h_prev = h;
  }
  if (trace) {
    // Plain row copies: Eigen's block assignment is an element loop in wasm builds.
    const Eigen::Index width = input_parts.cols();
    trace->input_part.resize(steps, width);
    std::copy(input_parts.data(), input_parts.data() + steps * width, trace->input_part.data());
    trace->hidden.resize(steps, units_);
    for (int t = 0; t < steps; ++t)
      std::copy(&outputs(t, column), &outputs(t, column) + units_, trace->hidden.row(t).data());
  }
}

}  // namespace unroll
