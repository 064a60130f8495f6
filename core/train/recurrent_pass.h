#pragma once
// One direction of one recurrent layer run over a whole mini-batch, with backpropagation through
// time. The math is batched: the input projection of every step is one GEMM before the loop, each
// step is one [batch × units]·[units × G·units] GEMM, and the backward pass gathers the weight
// gradients of all steps in two GEMMs after its loop.
//
// Row layout, time-major: row t·batch + b holds sequence b at time step t.
//   x        [steps·batch × input_dim]   what the layer reads (dropout already applied)
//   outputs  [steps·batch × units]       h_t, in time order even for the reverse direction
//   words    [steps·batch]               1 where row t·batch + b is a word, 0 where it is padding
//                                        (masked models only; a padded step keeps h and c)

#include <vector>

#include "nn/config.h"
#include "nn/tensor.h"
#include "nn/weights.h"

namespace unroll::train {

class RecurrentPass {
 public:
  /**
   * Runs the cell over all steps from h_0 = 0 (reverse: from t = steps-1 down to 0). With `words`
   * (Keras mask_zero), a step whose entry is 0 leaves that sequence's state (h, and c for an LSTM)
   * as it was, so the pass reads each sequence's words only, wherever its padding is.
   */
  void forward(CellType cell, const RecurrentWeights& weights, const Matrix& x, int batch,
               int steps, bool reverse, const Vector* words = nullptr);

  /** h at time step t for the whole batch: [batch × units]. */
  Eigen::Block<const Matrix, Eigen::Dynamic, Eigen::Dynamic, true> output(int t) const {
    return states_.middleRows(Eigen::Index(order(t) + 1) * batch_, batch_);
  }

  /**
   * Backpropagation through time. `d_outputs` [steps·batch × units] is dLoss/dh_t (time order).
   * Adds the weight gradients into `grad` (same shapes as the weights) and, when `d_x` is given,
   * writes dLoss/dx into it ([steps·batch × input_dim]). Uses the values of the last forward().
   */
  void backward(const RecurrentWeights& weights, const Matrix& x, const Matrix& d_outputs,
                RecurrentWeights& grad, Matrix* d_x);

  /**
   * Gradients through time, from the last backward(): for each time step t (time order), the sum
   * over the batch of ‖dLoss/dh_t‖, the whole gradient reaching h_t (from the layer above or the
   * head, and from the steps after it). With the loss scaled by 1/N it is the batch mean of each
   * review's ‖∂L/∂h_t‖: the curve that fades toward the start for a SimpleRNN and not for an LSTM.
   */
  const std::vector<float>& state_gradient_norms() const { return state_gradient_norms_; }

 private:
  // Step k of the loop reads time step order(k): k itself, or steps-1-k in reverse.
  int order(int k) const { return reverse_ ? steps_ - 1 - k : k; }
  Eigen::Index rows(int block) const { return Eigen::Index(block) * batch_; }
  bool padded(int t, int b) const { return words_ && (*words_)[rows(t) + b] == 0.0f; }

  CellType cell_ = CellType::SimpleRnn;
  int units_ = 0, batch_ = 0, steps_ = 0;
  bool reverse_ = false;
  const Vector* words_ = nullptr;  // the caller's mask, or none

  Matrix input_parts_;  // [steps·batch × G·units] x·W (no bias), time order
  Matrix states_;       // [(steps+1)·batch × units] loop order; block 0 is h_0 = 0
  Matrix gates_;        // [steps·batch × G·units] loop order, activated (LSTM i f c o, GRU z r n)
  Matrix cells_;        // [(steps+1)·batch × units] LSTM cell state, loop order; block 0 = 0
  Matrix recurrent_;    // [steps·batch × G·units] GRU h_{t-1}·U, loop order
  std::vector<const float*> input_rows_;  // [batch] this step's rows of input_parts_
  Matrix none_;         // what the backward step gets for values its cell does not use
  Matrix d_inputs_;     // [steps·batch × G·units] dLoss/d(x·W + b), time order
  Matrix d_recurrent_;  // [steps·batch × G·units] dLoss/d(h_{t-1}·U (+ b')), loop order
  Matrix step_;         // [batch × G·units] h_{t-1}·U of one step (SimpleRNN, LSTM)
  Matrix d_state_;      // [batch × units] dLoss/dh carried to the previous step
  Matrix d_cell_;       // [batch × units] LSTM dLoss/dc carried to the previous step
  Matrix d_h_;          // [batch × units] scratch
  std::vector<float> state_gradient_norms_;  // [steps] Σ_b ‖dLoss/dh_t‖, time order
  Matrix d_cell_kept_;  // [batch × units] LSTM dLoss/dc before a step, for its padded rows
};

}  // namespace unroll::train
