#include "nn/recurrent_layer.h"

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
    trace->input_part = input_parts.topRows(steps);
    trace->hidden = outputs.block(0, column, steps, units_);
  }
}

}  // namespace unroll
