#pragma once
// Everything a visualisation needs from one forward pass.

#include <vector>

#include "nn/tensor.h"

namespace unroll {

/**
 * One direction of one layer over the whole sequence. Row t always refers to time step t of the
 * input, also for the backward direction (there row t is the state after reading x_{T-1} … x_t).
 * G = gate_count(cell); column blocks as in RecurrentWeights.
 */
struct LayerTrace {
  int layer = 0;
  int direction = 0;       // 0 forward, 1 backward
  Matrix hidden;           // [steps × units]      h_t
  Matrix cell;             // [steps × units]      LSTM cell state c_t; empty otherwise
  Matrix gates;            // [steps × G·units]    after activation: LSTM i,f,c̃,o; GRU z,r,n; SimpleRNN = hidden
  Matrix input_part;       // [steps × G·units]    x_t·W            (what the new word brings)
  Matrix recurrent_part;   // [steps × G·units]    h_{t-1}·U        (what memory brings; GRU: before r ⊙)
  Matrix preactivation;    // [steps × G·units]    what the activations were applied to
};

struct Trace {
  std::vector<int> ids;            // the sequence that was read
  std::vector<LayerTrace> layers;  // index layer·directions + direction
  // Head applied to the top layer's forward state after each step: the logit the model would
  // output if the review ended there. [steps]; for bidirectional models it uses the forward
  // state and the backward state that has read only x_0..x_t is not available, so it is empty.
  Vector running_logit;
  float logit = 0.0f;
  float probability = 0.0f;

  int steps() const { return static_cast<int>(ids.size()); }
};

}  // namespace unroll
