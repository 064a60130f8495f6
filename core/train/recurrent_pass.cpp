#include "train/recurrent_pass.h"

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

  input_parts_.resize(all, width);
  input_parts_.noalias() = x.topRows(all) * weights.kernel;
  input_parts_.rowwise() += weights.bias.transpose();
  states_.resize(rows(steps + 1), n);
  states_.topRows(batch).setZero();
  if (cell != CellType::SimpleRnn) gates_.resize(all, width);
  if (cell == CellType::Lstm) {
    cells_.resize(rows(steps + 1), n);
    cells_.topRows(batch).setZero();
  }
  if (cell == CellType::Gru) recurrent_n_.resize(all, n);
  step_.resize(batch, width);

  for (int k = 0; k < steps; ++k) {
    const auto h_prev = states_.middleRows(rows(k), batch);
    auto h = states_.middleRows(rows(k + 1), batch);
    const auto in = input_parts_.middleRows(rows(order(k)), batch);
    switch (cell) {
      case CellType::SimpleRnn: {
        // h = tanh(x·W + b + h_prev·U)
        h = in;
        h.noalias() += h_prev * weights.recurrent_kernel;
        h = h.array().tanh();
        break;
      }
      case CellType::Lstm: {
        //   gates  [ i | f | c | o ]  each [batch × units]
        auto g = gates_.middleRows(rows(k), batch);
        g = in;
        g.noalias() += h_prev * weights.recurrent_kernel;
        g.leftCols(2 * n) = g.leftCols(2 * n).array().logistic();
        g.middleCols(2 * n, n) = g.middleCols(2 * n, n).array().tanh();
        g.rightCols(n) = g.rightCols(n).array().logistic();
        auto c = cells_.middleRows(rows(k + 1), batch);
        c = g.middleCols(n, n).cwiseProduct(cells_.middleRows(rows(k), batch)) +
            g.leftCols(n).cwiseProduct(g.middleCols(2 * n, n));
        h = g.rightCols(n).array() * c.array().tanh();
        break;
      }
      case CellType::Gru: {
        //   recurrent part  [ z | r | n ] = h_prev·U + b'
        step_.noalias() = h_prev * weights.recurrent_kernel;
        step_.rowwise() += weights.recurrent_bias.transpose();
        auto g = gates_.middleRows(rows(k), batch);
        g.leftCols(2 * n) = (in.leftCols(2 * n) + step_.leftCols(2 * n)).array().logistic();
        recurrent_n_.middleRows(rows(k), batch) = step_.rightCols(n);
        g.rightCols(n) = (in.rightCols(n).array() +
                          g.middleCols(n, n).array() * step_.rightCols(n).array()).tanh();
        // h = z ⊙ h_prev + (1 - z) ⊙ n
        h = g.leftCols(n).array() * h_prev.array() +
            (1.0f - g.leftCols(n).array()) * g.rightCols(n).array();
        break;
      }
    }
    // Masked steps: the whole batch was computed as one product; padded rows take back their state.
    if (words_) {
      const int t = order(k);
      for (int b = 0; b < batch; ++b) {
        if (!padded(t, b)) continue;
        h.row(b) = h_prev.row(b);
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

  for (int k = steps_ - 1; k >= 0; --k) {
    const int t = order(k);
    d_h_ = d_outputs.middleRows(rows(t), batch) + d_state_;
    const auto h = states_.middleRows(rows(k + 1), batch);
    const auto h_prev = states_.middleRows(rows(k), batch);
    auto d_rec = d_recurrent_.middleRows(rows(k), batch);
    if (words_ && cell_ == CellType::Lstm) d_cell_kept_ = d_cell_;
    switch (cell_) {
      case CellType::SimpleRnn: {
        d_rec = d_h_.array() * (1.0f - h.array().square());
        d_inputs_.middleRows(rows(t), batch) = d_rec;
        d_state_.noalias() = d_rec * weights.recurrent_kernel.transpose();
        break;
      }
      case CellType::Lstm: {
        const auto g = gates_.middleRows(rows(k), batch);
        const auto i = g.leftCols(n).array();
        const auto f = g.middleCols(n, n).array();
        const auto cc = g.middleCols(2 * n, n).array();
        const auto o = g.rightCols(n).array();
        const auto c_prev = cells_.middleRows(rows(k), batch).array();
        const Eigen::ArrayXXf tanh_c = cells_.middleRows(rows(k + 1), batch).array().tanh();
        // dc = dc_next + dh ⊙ o ⊙ (1 - tanh²c)
        d_cell_.array() += d_h_.array() * o * (1.0f - tanh_c.square());
        d_rec.leftCols(n) = d_cell_.array() * cc * i * (1.0f - i);
        d_rec.middleCols(n, n) = d_cell_.array() * c_prev * f * (1.0f - f);
        d_rec.middleCols(2 * n, n) = d_cell_.array() * i * (1.0f - cc.square());
        d_rec.rightCols(n) = d_h_.array() * tanh_c * o * (1.0f - o);
        d_cell_.array() *= f;
        d_inputs_.middleRows(rows(t), batch) = d_rec;
        d_state_.noalias() = d_rec * weights.recurrent_kernel.transpose();
        break;
      }
      case CellType::Gru: {
        const auto g = gates_.middleRows(rows(k), batch);
        const auto z = g.leftCols(n).array();
        const auto r = g.middleCols(n, n).array();
        const auto nn = g.rightCols(n).array();
        const auto rec_n = recurrent_n_.middleRows(rows(k), batch).array();
        auto d_in = d_inputs_.middleRows(rows(t), batch);
        // d(pre-activation of n), then of z and r
        d_in.rightCols(n) = d_h_.array() * (1.0f - z) * (1.0f - nn.square());
        d_in.leftCols(n) = d_h_.array() * (h_prev.array() - nn) * z * (1.0f - z);
        d_in.middleCols(n, n) = d_in.rightCols(n).array() * rec_n * r * (1.0f - r);
        d_rec.leftCols(2 * n) = d_in.leftCols(2 * n);
        d_rec.rightCols(n) = d_in.rightCols(n).array() * r;
        d_state_.noalias() = d_rec * weights.recurrent_kernel.transpose();
        d_state_.array() += d_h_.array() * z;
        break;
      }
    }
    // A padded step copied its state forward: its gradient passes straight through to the step
    // before, and nothing reaches the weights or the input there.
    if (words_) {
      for (int b = 0; b < batch; ++b) {
        if (!padded(t, b)) continue;
        d_rec.row(b).setZero();
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
