#include "nn/recurrent_layer.h"

#include <algorithm>

#include "nn/cell.h"

namespace unroll {

namespace {
kernels::PackedMatrix packed(const Matrix& w) {
  return kernels::pack(w.data(), static_cast<int>(w.rows()), static_cast<int>(w.cols()));
}
}  // namespace

RecurrentLayer::RecurrentLayer(CellType cell, const RecurrentWeights& weights, int units,
                               bool reverse)
    : cell_(cell),
      weights_(weights),
      units_(units),
      reverse_(reverse),
      packed_kernel_(packed(weights.kernel)),
      packed_recurrent_kernel_(packed(weights.recurrent_kernel)),
      recurrent_(gate_count(cell) * units),
      gates_(gate_count(cell) * units),
      cell_state_(cell == CellType::Lstm ? units : 0) {}

void RecurrentLayer::run(const Matrix& input_parts, int steps, Matrix& outputs, int column,
                         LayerTrace* trace) {
  const bool lstm = cell_ == CellType::Lstm;
  const int stride = static_cast<int>(outputs.cols());
  for (int i = 0; i < steps; ++i) {
    const int t = reverse_ ? steps - 1 - i : i;
    const int t_prev = reverse_ ? t + 1 : t - 1;
    const float* input = input_parts.row(t).data();
    CellStep step;
    step.input = &input;
    step.h_prev = i == 0 ? nullptr : &outputs(t_prev, column);
    step.h_prev_stride = stride;
    step.h = &outputs(t, column);
    step.h_stride = stride;
    step.packed_recurrent_kernel = &packed_recurrent_kernel_;
    if (trace) {
      step.recurrent = trace->recurrent_part.row(t).data();
      step.gates = trace->gates.row(t).data();
      step.preactivation = trace->preactivation.row(t).data();
      if (lstm) {
        step.cell_prev = i == 0 ? nullptr : trace->cell.row(t_prev).data();
        step.cell = trace->cell.row(t).data();
      }
    } else {
      step.recurrent = recurrent_.data();
      step.gates = gates_.data();
      if (lstm) {
        step.cell_prev = i == 0 ? nullptr : cell_state_.data();
        step.cell = cell_state_.data();
      }
    }
    cell_forward(cell_, weights_, step);
    // Knockouts: the one place a unit is fixed, before anything reads h_t.
    for (const UnitClamp& clamp : clamps_) step.h[clamp.unit] = clamp.value;
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
