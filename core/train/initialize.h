#pragma once
// Where training starts: Keras' default initialisers for every weight.

#include "nn/config.h"
#include "nn/weights.h"

namespace unroll::train {

/** Glorot-uniform kernels, orthogonal recurrent gate blocks, zero biases (LSTM forget bias 1). */
ModelWeights random_weights(const ModelConfig& config, unsigned seed);

}  // namespace unroll::train
