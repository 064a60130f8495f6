#pragma once
// GRU as in PyTorch and Keras (reset_after=True), gates in Keras order:
//
//   columns      0      n      2n     3n
//                [  z   |  r   |  n   ]
//   x_t·W + b    [ x_z  | x_r  | x_n  ]
//   h_{t-1}·U+b' [ u_z  | u_r  | u_n  ]
//
//   z = σ(x_z + u_z)   r = σ(x_r + u_r)   n = tanh(x_n + r ⊙ u_n)
//   h_t = z ⊙ h_{t-1} + (1 − z) ⊙ n
//
//   W  kernel            [input_dim × 3n]
//   U  recurrent_kernel  [n × 3n]
//   b  bias              [3n]
//   b' recurrent_bias    [3n]   (inside r ⊙ (…) for the n block)

#include "nn/cell.h"

namespace unroll::gru {

void forward(const RecurrentWeights& weights, const CellStep& step);
void backward(const RecurrentWeights& weights, const CellBackwardInput& in, CellBackwardOutput out);

}  // namespace unroll::gru
