#include "train/recurrent_pass.h"

#include "nn/cell.h"

namespace unroll::train {

void RecurrentPass::forward(CellType cell, const RecurrentWeights& weights, const Matrix& x,
                            int batch, int steps, bool reverse, const Vector* words) {
  cell_ = cell;
  words_ = words;
  units_ = static_cast<int>(weights.recurrent_kernel.rows());
  batch_ = batch;
  steps_ = steps;
  reverse_ = reverse;
  const int n = units_;
  const int width = gate_count(cell) * n;
  const Eigen::Index all = rows(steps);

  // x·W of every step in one product; the cell adds the bias.
  input_parts_.resize(all, width);
  input_parts_.noalias() = x.topRows(all) * weights.kernel;
  states_.resize(rows(steps + 1), n);
  states_.topRows(batch).setZero();
  gates_.resize(all, width);
  if (cell == CellType::Lstm) {
    cells_.resize(rows(steps + 1), n);
    cells_.topRows(batch).setZero();
  }
  // The GRU's backward step needs h_{t-1}·U of every step; the others only while stepping.
  if (cell == CellType::Gru) recurrent_.resize(all, width);
  else step_.resize(batch, width);
  input_rows_.resize(batch);

  for (int k = 0; k < steps; ++k) {
    const int t = order(k);
    for (int b = 0; b < batch; ++b) input_rows_[b] = input_parts_.row(rows(t) + b).data();
    CellStep step;
    step.rows = batch;
    step.input = input_rows_.data();
    step.h_prev = k == 0 ? nullptr : states_.row(rows(k)).data();
    step.h_prev_stride = n;
    step.h = states_.row(rows(k + 1)).data();
    step.h_stride = n;
    step.recurrent = cell == CellType::Gru ? recurrent_.row(rows(k)).data() : step_.data();
    step.gates = gates_.row(rows(k)).data();
    if (cell == CellType::Lstm) {
      step.cell_prev = cells_.row(rows(k)).data();
      step.cell = cells_.row(rows(k + 1)).data();
    }
    cell_forward(cell, weights, step);
    // Masked steps: the whole batch was computed at once; padded rows take back their state.
    if (words_) {
      for (int b = 0; b < batch; ++b) {
        if (!padded(t, b)) continue;
        states_.row(rows(k + 1) + b) = states_.row(rows(k) + b);
        if (cell == CellType::Lstm) cells_.row(rows(k + 1) + b) = cells_.row(rows(k) + b);
      }
    }
  }
}

void RecurrentPass::backward(const RecurrentWeights& weights, const Matrix& x,
                             const Matrix& d_outputs, RecurrentWeights& grad, Matrix* d_x) {
  const int n = units_;
  const int batch = batch_;
  const int width = gate_count(cell_) * n;
  const Eigen::Index all = rows(steps_);
  d_inputs_.resize(all, width);
  d_recurrent_.resize(all, width);
  d_state_.setZero(batch, n);
  if (cell_ == CellType::Lstm) d_cell_.setZero(batch, n);
  d_h_.resize(batch, n);
  state_gradient_norms_.assign(steps_, 0.0f);

  const bool lstm = cell_ == CellType::Lstm;
  auto block = [&](const Matrix& m, int k, bool used) -> ConstRows {
    return used ? ConstRows(m.middleRows(rows(k), batch)) : ConstRows(none_);
  };
  for (int k = steps_ - 1; k >= 0; --k) {
    const int t = order(k);
    d_h_ = d_outputs.middleRows(rows(t), batch) + d_state_;
    state_gradient_norms_[t] = d_h_.rowwise().norm().sum();
    if (words_ && lstm) d_cell_kept_ = d_cell_;
    const CellBackwardInput in{d_h_,
                               block(states_, k, true),
                               block(states_, k + 1, true),
                               block(gates_, k, true),
                               block(recurrent_, k, cell_ == CellType::Gru),
                               block(cells_, k, lstm),
                               block(cells_, k + 1, lstm)};
    cell_backward(cell_, weights, in,
                  {d_inputs_.middleRows(rows(t), batch), d_recurrent_.middleRows(rows(k), batch),
                   d_state_, d_cell_});
    // A padded step copied its state forward: its gradient passes straight through to the step
    // before, and nothing reaches the weights or the input there.
    if (words_) {
      for (int b = 0; b < batch; ++b) {
        if (!padded(t, b)) continue;
        d_recurrent_.row(rows(k) + b).setZero();
        d_inputs_.row(rows(t) + b).setZero();
        d_state_.row(b) = d_h_.row(b);
        if (cell_ == CellType::Lstm) d_cell_.row(b) = d_cell_kept_.row(b);
      }
    }
  }

  grad.kernel.noalias() += x.topRows(all).transpose() * d_inputs_;
  grad.bias += d_inputs_.colwise().sum().transpose();
  grad.recurrent_kernel.noalias() += states_.topRows(all).transpose() * d_recurrent_;
  if (cell_ == CellType::Gru) grad.recurrent_bias += d_recurrent_.colwise().sum().transpose();
  if (d_x) {
    d_x->resize(all, weights.kernel.rows());
    d_x->noalias() = d_inputs_ * weights.kernel.transpose();
  }
}

}  // namespace unroll::train
