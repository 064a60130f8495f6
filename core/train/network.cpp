#include "train/network.h"

#include <algorithm>
#include <cmath>

#include "text/vocabulary.h"

namespace unroll::train {

DropoutMasks DropoutMasks::sample(const ModelConfig& config, int batch, float rate,
                                  std::mt19937& rng) {
  DropoutMasks dropout;
  if (rate <= 0.0f) return dropout;
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  const float keep = 1.0f / (1.0f - rate);
  for (int layer = 0; layer < config.layers; ++layer) {
    for (int direction = 0; direction < config.directions(); ++direction) {
      Matrix mask(batch, config.input_dim(layer));
      for (Eigen::Index i = 0; i < mask.size(); ++i)
        mask.data()[i] = uniform(rng) < rate ? 0.0f : keep;
      dropout.masks.push_back(std::move(mask));
    }
  }
  return dropout;
}

double Network::run(const ModelWeights& weights, const BatchView& batch, ModelWeights* grad,
                    float loss_scale, float* probabilities) {
  const int count = batch.count;
  const int steps = batch.steps;
  const int directions = config_.directions();
  const int units = config_.units;
  const Eigen::Index all = Eigen::Index(steps) * count;
  const int stacks = config_.layers * directions;
  inputs_.resize(stacks);
  passes_.resize(stacks);
  outputs_.resize(config_.layers);

  // Embedding lookup, time-major. Ids outside the vocabulary read as out-of-vocabulary, as in Model.
  ids_.resize(all);
  embedded_.resize(all, config_.embedding_dim);
  for (int b = 0; b < count; ++b) {
    for (int t = 0; t < steps; ++t) {
      std::int32_t id = batch.sequences[b][t];
      if (id < 0 || id >= config_.vocab_size) id = Vocabulary::kOutOfVocabulary;
      ids_[Eigen::Index(t) * count + b] = id;
      embedded_.row(Eigen::Index(t) * count + b) = weights.embedding.row(id);
    }
  }
  // Keras mask_zero: padding ids (0, before the out-of-vocabulary mapping above) are masked.
  const Vector* words = nullptr;
  if (config_.mask_padding) {
    words_.resize(all);
    for (int b = 0; b < count; ++b)
      for (int t = 0; t < steps; ++t)
        words_[Eigen::Index(t) * count + b] =
            batch.sequences[b][t] == Vocabulary::kPadding ? 0.0f : 1.0f;
    words = &words_;
  }

  auto mask_of = [&](int index) -> const Matrix* {
    return batch.dropout && !batch.dropout->masks.empty() ? &batch.dropout->masks[index] : nullptr;
  };

  for (int layer = 0; layer < config_.layers; ++layer) {
    const Matrix& below = layer == 0 ? embedded_ : outputs_[layer - 1];
    Matrix& output = outputs_[layer];
    output.resize(all, Eigen::Index(units) * directions);
    for (int direction = 0; direction < directions; ++direction) {
      const int index = layer * directions + direction;
      Matrix& input = inputs_[index];
      input = below;
      if (const Matrix* mask = mask_of(index)) {
        for (int t = 0; t < steps; ++t)
          input.middleRows(Eigen::Index(t) * count, count).array() *=
              mask->middleRows(batch.dropout_row, count).array();
      }
      RecurrentPass& pass = passes_[index];
      pass.forward(config_.cell, weights.rnn[index], input, count, steps, direction == 1, words);
      for (int t = 0; t < steps; ++t)
        output.block(Eigen::Index(t) * count, Eigen::Index(direction) * units, count, units) =
            pass.output(t);
    }
  }

  // Head: the last layer's final forward state and, bidirectional, the backward state at t = 0;
  // or that layer's output pooled over the steps each review reads (its words, when masked).
  const int top = (config_.layers - 1) * directions;
  head_input_.resize(count, config_.head_dim());
  if (config_.pooling == Pooling::Last) {
    head_input_.leftCols(units) = passes_[top].output(steps - 1);
    if (directions == 2) head_input_.rightCols(units) = passes_[top + 1].output(0);
  } else {
    pool(outputs_[config_.layers - 1], count, steps, words);
  }
  logits_.noalias() = head_input_ * weights.head_kernel;
  logits_.array() += weights.head_bias;

  double loss = 0.0;
  d_logits_.resize(count);
  for (int b = 0; b < count; ++b) {
    const float l = logits_[b];
    const float y = batch.labels[b];
    // Binary cross-entropy of sigmoid(l), in the stable form max(l,0) - l·y + log(1 + e^-|l|).
    loss += std::max(l, 0.0f) - l * y + std::log1p(std::exp(-std::abs(l)));
    const float p = 1.0f / (1.0f + std::exp(-l));
    if (probabilities) probabilities[b] = p;
    d_logits_[b] = (p - y) * loss_scale;
  }
  if (!grad) return loss;

  grad->head_kernel.noalias() += head_input_.transpose() * d_logits_;
  grad->head_bias += d_logits_.sum();

  d_outputs_.resize(directions);
  for (int direction = 0; direction < directions; ++direction) d_outputs_[direction].setZero(all, units);
  if (config_.pooling == Pooling::Last) {
    for (int direction = 0; direction < directions; ++direction) {
      const int t = direction == 0 ? steps - 1 : 0;
      d_outputs_[direction].middleRows(Eigen::Index(t) * count, count).noalias() =
          d_logits_ * weights.head_kernel.segment(direction * units, units).transpose();
    }
  } else {
    pool_gradient(weights.head_kernel, count, steps, words);
  }

  // Down the stack: each direction's input gradient (masked like its input) is summed into
  // d_below_, whose column blocks are the gradients of the layer below's directions; layer 0's
  // feeds the embedding.
  for (int layer = config_.layers - 1; layer >= 0; --layer) {
    for (int direction = 0; direction < directions; ++direction) {
      const int index = layer * directions + direction;
      passes_[index].backward(weights.rnn[index], inputs_[index], d_outputs_[direction],
                              grad->rnn[index], &d_x_);
      if (const Matrix* mask = mask_of(index)) {
        for (int t = 0; t < steps; ++t)
          d_x_.middleRows(Eigen::Index(t) * count, count).array() *=
              mask->middleRows(batch.dropout_row, count).array();
      }
      if (direction == 0) d_below_.swap(d_x_);
      else d_below_ += d_x_;
    }
    if (layer > 0) {
      for (int direction = 0; direction < directions; ++direction)
        d_outputs_[direction] = d_below_.middleCols(Eigen::Index(direction) * units, units);
    }
  }

  // Embedding gradient: sparse row updates for the ids of this batch.
  for (Eigen::Index r = 0; r < all; ++r) grad->embedding.row(ids_[r]) += d_below_.row(r);
  return loss;
}

void Network::pool(const Matrix& top, int count, int steps, const Vector* words) {
  const int width = config_.head_dim();
  // Mean: the sum over the steps read, divided by their count (0 steps: h = 0, as Model).
  // Max: the largest value per column, and the step it came from for the backward pass.
  step_counts_.setZero(count);
  if (config_.pooling == Pooling::Mean) {
    head_input_.setZero();
    for (int t = 0; t < steps; ++t) {
      for (int b = 0; b < count; ++b) {
        const Eigen::Index row = Eigen::Index(t) * count + b;
        if (words && (*words)[row] == 0.0f) continue;
        head_input_.row(b) += top.row(row);
        step_counts_[b] += 1.0f;
      }
    }
    for (int b = 0; b < count; ++b)
      if (step_counts_[b] > 0.0f) head_input_.row(b) /= step_counts_[b];
    return;
  }
  argmax_.assign(std::size_t(count) * width, -1);
  head_input_.setZero();
  for (int t = 0; t < steps; ++t) {
    for (int b = 0; b < count; ++b) {
      const Eigen::Index row = Eigen::Index(t) * count + b;
      if (words && (*words)[row] == 0.0f) continue;
      int* from = &argmax_[std::size_t(b) * width];
      for (int j = 0; j < width; ++j) {
        const float v = top(row, j);
        if (from[j] < 0 || v > head_input_(b, j)) {
          head_input_(b, j) = v;
          from[j] = t;
        }
      }
    }
  }
}

void Network::pool_gradient(const Vector& head_kernel, int count, int steps, const Vector* words) {
  const int units = config_.units;
  if (config_.pooling == Pooling::Mean) {
    for (int t = 0; t < steps; ++t) {
      for (int b = 0; b < count; ++b) {
        const Eigen::Index row = Eigen::Index(t) * count + b;
        if (words && (*words)[row] == 0.0f) continue;
        const float scale = d_logits_[b] / step_counts_[b];
        for (int direction = 0; direction < config_.directions(); ++direction)
          d_outputs_[direction].row(row) = scale * head_kernel.segment(direction * units, units).transpose();
      }
    }
    return;
  }
  // Max: only the step each column's maximum came from receives that column's gradient.
  const int width = config_.head_dim();
  for (int b = 0; b < count; ++b) {
    const int* from = &argmax_[std::size_t(b) * width];
    for (int j = 0; j < width; ++j) {
      if (from[j] < 0) continue;
      d_outputs_[j / units](Eigen::Index(from[j]) * count + b, j % units) += d_logits_[b] * head_kernel[j];
    }
  }
}

}  // namespace unroll::train
