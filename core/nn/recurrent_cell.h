#pragma once
// One time step of a recurrent cell. Cells own scratch buffers sized once, in the constructor,
// so a step allocates nothing.

#include "nn/tensor.h"
#include "nn/weights.h"

namespace unroll {

/** Where a step's intermediate values go when a trace is recorded (rows of a LayerTrace). */
struct StepRecord {
  float* gates = nullptr;           // [G·units] after activation
  float* recurrent_part = nullptr;  // [G·units] h_{t-1}·U
  float* preactivation = nullptr;   // [G·units]
  float* cell = nullptr;            // [units], LSTM only
};

class RecurrentCell {
 public:
  virtual ~RecurrentCell() = default;
  /** Forgets the state carried between steps (the LSTM cell state); h_0 is the caller's. */
  virtual void reset() {}
  /**
   * h = cell(x_t, h_prev). `input_part` is x_t·W without bias [G·units]; `h_prev` and `h` are
   * [units] and may not alias. `record`, when given, receives the step's intermediate values.
   */
  virtual void step(const float* input_part, const float* h_prev, float* h,
                    const StepRecord* record) = 0;
};

}  // namespace unroll
