#include "nn/cell.h"

#include "nn/gru_cell.h"
#include "nn/lstm_cell.h"
#include "nn/simple_rnn_cell.h"

namespace unroll {

void cell_forward(CellType cell, const RecurrentWeights& weights, const CellStep& step) {
  switch (cell) {
    case CellType::SimpleRnn: return simple_rnn::forward(weights, step);
    case CellType::Lstm: return lstm::forward(weights, step);
    case CellType::Gru: return gru::forward(weights, step);
  }
}

void cell_backward(CellType cell, const RecurrentWeights& weights, const CellBackwardInput& in,
                   CellBackwardOutput out) {
  switch (cell) {
    case CellType::SimpleRnn: return simple_rnn::backward(weights, in, out);
    case CellType::Lstm: return lstm::backward(weights, in, out);
    case CellType::Gru: return gru::backward(weights, in, out);
  }
}

}  // namespace unroll
