#pragma once
// Keras SimpleRNN, one gate block:
//
//          x_t·W [n]   h_{t-1}·U [n]   b [n]
//   h_t = tanh(   ·    +      ·       +  ·  )
//
//   W  kernel            [input_dim × n]
//   U  recurrent_kernel  [n × n]
//   b  bias              [n]

#include "nn/cell.h"

namespace unroll::simple_rnn {

void forward(const RecurrentWeights& weights, const CellStep& step);
void backward(const RecurrentWeights& weights, const CellBackwardInput& in, CellBackwardOutput out);

}  // namespace unroll::simple_rnn
