#pragma once
// One direction of one recurrent layer, unrolled over a sequence.

#include <memory>

#include "nn/config.h"
#include "nn/recurrent_cell.h"
#include "nn/trace.h"

namespace unroll {

/** Makes the cell of a given type; it keeps a reference to `weights`. */
std::unique_ptr<RecurrentCell> make_cell(CellType cell, const RecurrentWeights& weights, int units);

class RecurrentLayer {
 public:
  /** `weights` must outlive the layer (the Model owns both). */
  RecurrentLayer(CellType cell, const RecurrentWeights& weights, int units, bool reverse);

  const RecurrentWeights& weights() const { return weights_; }
  bool reverse() const { return reverse_; }
  int units() const { return units_; }

  /**
   * Runs the cell over `steps` rows of `input_parts` (x_t·W, [≥steps × G·units]) from h_0 = 0, in
   * time order or reversed, writing h_t into columns [column, column + units) of row t of
   * `outputs`. With `trace`, also fills its matrices (already sized [steps × …] by the caller).
   */
  void run(const Matrix& input_parts, int steps, Matrix& outputs, int column, LayerTrace* trace);

 private:
  const RecurrentWeights& weights_;
  int units_;
  bool reverse_;
  std::unique_ptr<RecurrentCell> cell_;
  Vector zeros_;  // h_0
};

}  // namespace unroll
