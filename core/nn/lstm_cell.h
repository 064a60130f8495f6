#pragma once
// Keras/PyTorch LSTM. The four gates are fused: one product gives all their pre-activations.
//
//   columns      0      n      2n     3n     4n
//                [  i   |  f   |  c̃   |  o   ]  = x_t·W + h_{t-1}·U + b
//                  σ      σ     tanh     σ
//
//   c_t = f ⊙ c_{t-1} + i ⊙ c̃        h_t = o ⊙ tanh(c_t)
//
// forward: h_{t-1}·U for every row in one product, then kernels::lstm_update per row (the sum, the
// activations and the state, in three passes over the gates in the wasm SIMD build).
//
//   W  kernel            [input_dim × 4n]
//   U  recurrent_kernel  [n × 4n]
//   b  bias              [4n]

#include "nn/cell.h"

namespace unroll::lstm {

void forward(const RecurrentWeights& weights, const CellStep& step);
void backward(const RecurrentWeights& weights, const CellBackwardInput& in, CellBackwardOutput out);

}  // namespace unroll::lstm
