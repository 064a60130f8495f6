#include "nn/batch.h"

#include <algorithm>
#include <cstddef>
#include <iterator>

#include "kernels/kernels.h"
#include "nn/cell.h"
#include "nn/limits.h"
#include "nn/recurrent_layer.h"
#include "text/vocabulary.h"

namespace unroll {

BatchRunner::BatchRunner(const Model& model, int max_chunk)
    : model_(model), config_(model.config()), max_chunk_(std::max(1, max_chunk)) {
  const ModelWeights& weights = model_.weights();
  const Eigen::Index gates = gate_count(config_.cell) * config_.units;
  if (Eigen::Index(config_.vocab_size) * gates <= limits::kMaxInputTableFloats) {
    for (int direction = 0; direction < config_.directions(); ++direction)
      input_tables_.push_back(weights.embedding * weights.rnn[direction].kernel);
  }
}

int BatchRunner::chunk_size(int steps) const {
  if (config_.layers == 1 || steps == 0) return max_chunk_;
  const std::size_t buffers = config_.layers > 2 ? 2 : 1;
  const std::size_t per_review =
      std::size_t(steps) * config_.units * config_.directions() * sizeof(float) * buffers;
  const std::size_t fit = limits::kSequenceBudgetBytes / per_review;
  return static_cast<int>(std::clamp<std::size_t>(fit, 1, std::size_t(max_chunk_)));
}

void BatchRunner::ensure(int n, int steps) {
  auto grow = [](Matrix& m, Eigen::Index rows, Eigen::Index cols) {
    if (m.rows() < rows || m.cols() != cols) m.resize(std::max<Eigen::Index>(rows, 1), cols);
  };
  const int units = config_.units;
  const int width = units * config_.directions();
  const int gates = gate_count(config_.cell) * units;
  if (config_.layers > 1) {
    grow(sequence_[0], Eigen::Index(steps) * n, width);
    if (config_.layers > 2) grow(sequence_[1], Eigen::Index(steps) * n, width);
  }
  grow(state_[0], n, units);
  grow(state_[1], n, units);
  grow(final_, n, width);
  grow(recurrent_, n, gates);
  grow(gates_, n, gates);
  if (config_.layers > 1 || input_tables_.empty()) grow(input_part_, n, gates);
  if (input_tables_.empty()) grow(embedded_, n, config_.embedding_dim);
  if (config_.cell == CellType::Lstm) grow(cell_, n, units);
  if (static_cast<int>(rows_.size()) < n) rows_.resize(n);
}

void BatchRunner::logits(const int* ids, int batch, int steps, float* out) {
  if (config_.mask_padding) {
    masked_logits(ids, batch, steps, out);
    return;
  }
  equal_length_logits(ids, batch, steps, out);
}

void BatchRunner::masked_logits(const int* ids, int batch, int steps, float* out) {
  // A padding id would leave the state as it is, so it is not run: each review has as many steps
  // as ids that are not padding, and reviews of one length run together.
  lengths_.resize(batch);
  order_.resize(batch);
  for (int b = 0; b < batch; ++b) {
    const int* row = ids + std::size_t(b) * steps;
    lengths_[b] = static_cast<int>(steps - std::count(row, row + steps, int(Vocabulary::kPadding)));
    order_[b] = b;
  }
  std::stable_sort(order_.begin(), order_.end(), [this](int a, int b) { return lengths_[a] < lengths_[b]; });
  for (int first = 0; first < batch;) {
    const int length = lengths_[order_[first]];
    int last = first;
    while (last < batch && lengths_[order_[last]] == length) ++last;
    grouped_.clear();
    for (int k = first; k < last; ++k) {
      const int* row = ids + std::size_t(order_[k]) * steps;
      std::copy_if(row, row + steps, std::back_inserter(grouped_), [](int id) { return id != Vocabulary::kPadding; });
    }
    group_logits_.resize(last - first);
    equal_length_logits(grouped_.data(), last - first, length, group_logits_.data());
    for (int k = first; k < last; ++k) out[order_[k]] = group_logits_[k - first];
    first = last;
  }
}

void BatchRunner::equal_length_logits(const int* ids, int batch, int steps, float* out) {
  const int chunk = chunk_size(steps);
  for (int begin = 0; begin < batch; begin += chunk) {
    const int n = std::min(chunk, batch - begin);
    run_chunk(ids + std::size_t(begin) * steps, n, steps, out + begin);
  }
}

void BatchRunner::predict(const int* ids, int batch, int steps, float* probabilities) {
  logits(ids, batch, steps, probabilities);
  for (int b = 0; b < batch; ++b) probabilities[b] = sigmoid(probabilities[b]);
}

void BatchRunner::run_chunk(const int* ids, int n, int steps, float* out) {
  const ModelWeights& weights = model_.weights();
  const int units = config_.units;
  const int directions = config_.directions();
  if (steps == 0) {  // the head on h_0 = 0
    std::fill(out, out + n, weights.head_bias);
    return;
  }
  ensure(n, steps);
  for (int layer = 0; layer < config_.layers; ++layer) {
    const bool top = layer == config_.layers - 1;
    const Matrix* below = layer == 0 ? nullptr : &sequence_[(layer + 1) % 2];
    Matrix* output = top ? nullptr : &sequence_[layer % 2];
    for (int direction = 0; direction < directions; ++direction)
      run_direction(layer, direction, ids, n, steps, below, output, direction * units);
  }
  // Head: [h_{T-1}(fwd), h_0(bwd)] (or the pooled states) · head.kernel + head.bias, as in
  // Model::logit.
  if (config_.pooling != Pooling::Last) {
    Eigen::Map<Vector> logits(out, n);
    logits.noalias() = final_.topRows(n) * weights.head_kernel;
    logits.array() += weights.head_bias;
    return;
  }
  for (int b = 0; b < n; ++b) {
    float logit = weights.head_bias;
    logit += final_.row(b).head(units).dot(weights.head_kernel.head(units).transpose());
    if (directions == 2)
      logit += final_.row(b).segment(units, units).dot(weights.head_kernel.tail(units).transpose());
    out[b] = logit;
  }
}

void BatchRunner::run_direction(int layer, int direction, const int* ids, int n, int steps,
                                const Matrix* below, Matrix* sequence, int column) {
  const int index = layer * config_.directions() + direction;
  const RecurrentWeights& w = model_.weights().rnn[index];
  const RecurrentLayer& packed = model_.layer(index);  // W and U as the kernels read them
  const kernels::PackedMatrix& packed_w = packed.packed_kernel();
  const CellType cell = config_.cell;
  const int units = config_.units;
  const int gates = gate_count(cell) * units;
  const bool reverse = direction == 1;
  const int vocab = config_.vocab_size;
  auto word = [&](int b, int t) {
    const int id = ids[std::size_t(b) * steps + t];
    return id >= 0 && id < vocab ? id : Vocabulary::kOutOfVocabulary;
  };
  // Where h_t of review b lives: a row of the sequence buffer, or of the ping-pong state.
  const int ld = sequence ? static_cast<int>(sequence->cols()) : units;
  auto h_row = [&](int t, int b, int step_index) -> float* {
    if (sequence) return sequence->data() + (std::size_t(t) * n + b) * ld + column;
    return state_[step_index % 2].data() + std::size_t(b) * units;
  };
  // Above layer 0, x_t·W of every step is one product over the whole chunk's sequence (m = steps·n
  // rows: better blocking than one product per step) when that buffer fits the budget.
  const bool whole_sequence =
      layer > 0 && std::size_t(steps) * n * gates * sizeof(float) <= limits::kSequenceBudgetBytes;
  if (whole_sequence) {
    const int in = static_cast<int>(below->cols());
    if (sequence_input_.rows() < Eigen::Index(steps) * n || sequence_input_.cols() != gates)
      sequence_input_.resize(Eigen::Index(steps) * n, gates);
    kernels::matrix_product(below->data(), steps * n, in, packed_w, sequence_input_.data(), gates);
  }

  for (int i = 0; i < steps; ++i) {
    const int t = reverse ? steps - 1 - i : i;
    const int t_prev = reverse ? t + 1 : t - 1;

    // x_t·W for every review of the chunk: a row of the input table, or one product.
    if (layer == 0 && !input_tables_.empty()) {
      const Matrix& table = input_tables_[direction];
      for (int b = 0; b < n; ++b) rows_[b] = table.row(word(b, t)).data();
    } else {
      if (layer == 0) {
        for (int b = 0; b < n; ++b) embedded_.row(b) = model_.weights().embedding.row(word(b, t));
        kernels::matrix_product(embedded_.data(), n, static_cast<int>(embedded_.cols()), packed_w,
                                input_part_.data(), gates);
        for (int b = 0; b < n; ++b) rows_[b] = input_part_.row(b).data();
      } else if (whole_sequence) {
        for (int b = 0; b < n; ++b) rows_[b] = sequence_input_.row(std::size_t(t) * n + b).data();
      } else {
        const int in = static_cast<int>(below->cols());
        kernels::matrix_product(below->data() + std::size_t(t) * n * in, n, in, packed_w,
                                input_part_.data(), gates);
        for (int b = 0; b < n; ++b) rows_[b] = input_part_.row(b).data();
      }
    }

    CellStep step;
    step.rows = n;
    step.input = rows_.data();
    step.h_prev = i == 0 ? nullptr : h_row(t_prev, 0, i - 1);
    step.h_prev_stride = ld;
    step.h = h_row(t, 0, i);
    step.h_stride = ld;
    step.recurrent = recurrent_.data();
    step.gates = gates_.data();
    step.packed_recurrent_kernel = &packed.packed_recurrent_kernel();
    if (cell == CellType::Lstm) {
      step.cell_prev = i == 0 ? nullptr : cell_.data();
      step.cell = cell_.data();
    }
    cell_forward(cell, w, step);
    if (!sequence && config_.pooling != Pooling::Last) pool_step(step.h, n, column, i == 0);
  }

  // The state the head (or nothing, below the top) reads: after the last step read, or pooled.
  if (!sequence && config_.pooling == Pooling::Mean) {
    final_.block(0, column, n, units) /= static_cast<float>(steps);
  } else if (!sequence && config_.pooling == Pooling::Last) {
    const float* last = state_[(steps - 1) % 2].data();
    final_.block(0, column, n, units) = Eigen::Map<const Matrix>(last, n, units);
  }
}

void BatchRunner::pool_step(const float* h, int n, int column, bool first) {
  const int units = config_.units;
  auto pooled = final_.block(0, column, n, units);
  const Eigen::Map<const Matrix> state(h, n, units);
  if (first) pooled = state;
  else if (config_.pooling == Pooling::Mean) pooled += state;
  else pooled = pooled.cwiseMax(state);
}

}  // namespace unroll
