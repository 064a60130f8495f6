#pragma once
// One direction of one recurrent layer, unrolled over one sequence (the pass with a trace).

#include <vector>

#include "kernels/kernels.h"
#include "nn/config.h"
#include "nn/tensor.h"
#include "nn/trace.h"
#include "nn/weights.h"

namespace unroll {

/** A unit whose output is fixed at `value` after every step (a knockout, core/nn/knockout.h). */
struct UnitClamp {
  int unit = 0;
  float value = 0.0f;
};

class RecurrentLayer {
 public:
  /** `weights` must outlive the layer (the Model owns both). */
  RecurrentLayer(CellType cell, const RecurrentWeights& weights, int units, bool reverse);

  const RecurrentWeights& weights() const { return weights_; }
  /** The input kernel W, packed for kernels::matrix_product (x_t·W of a whole sequence). */
  const kernels::PackedMatrix& packed_kernel() const { return packed_kernel_; }
  /** The recurrent kernel U, packed (h_{t-1}·U at every step). */
  const kernels::PackedMatrix& packed_recurrent_kernel() const { return packed_recurrent_kernel_; }
  bool reverse() const { return reverse_; }
  int units() const { return units_; }
  /** Units fixed after every step of later runs (in range: Model::set_knockouts checks). */
  void set_clamps(std::vector<UnitClamp> clamps) { clamps_ = std::move(clamps); }

  /**
   * Runs the cell over `steps` rows of `input_parts` (x_t·W, [≥steps × G·units]) from h_0 = 0, in
   * time order or reversed, writing h_t into columns [column, column + units) of row t of
   * `outputs`. With `trace`, the cell writes its intermediate values straight into the trace's
   * rows (already sized [steps × …] by the caller).
   */
  void run(const Matrix& input_parts, int steps, Matrix& outputs, int column, LayerTrace* trace);

 private:
  CellType cell_;
  const RecurrentWeights& weights_;
  int units_;
  bool reverse_;
  kernels::PackedMatrix packed_kernel_;            // W and U in the kernels' fastest order, packed
  kernels::PackedMatrix packed_recurrent_kernel_;  // once (the Model's weights no longer change)
  // Where a step writes when no trace is recorded: sized once, reused at every step.
  Vector recurrent_;  // [G·units] h_{t-1}·U
  Vector gates_;      // [G·units]
  Vector cell_state_; // [units] LSTM c_t, updated in place
  std::vector<UnitClamp> clamps_;
};

}  // namespace unroll
