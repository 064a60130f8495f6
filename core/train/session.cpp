#include "train/session.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "io/model_file.h"

namespace unroll::train {

Result<std::unique_ptr<Session>> Session::create(const Recipe& recipe, TrainingData data) {
  if (!data.split("train") || data.split("train")->count() < 2)
    return Error{"the training data has no \"train\" split with at least 2 reviews"};
  if (recipe.batch < 1) return Error{"batch must be at least 1"};
  if (!(recipe.dropout >= 0.0f && recipe.dropout < 1.0f)) return Error{"dropout must be in [0, 1)"};
  if (!(recipe.learning_rate > 0.0) || !std::isfinite(recipe.learning_rate))
    return Error{"learning rate must be positive"};
  if (!(recipe.validation > 0.0 && recipe.validation < 1.0)) return Error{"validation fraction must be in (0, 1)"};
  ModelConfig config;
  config.cell = recipe.cell;
  config.vocab_size = data.vocabulary.size();
  config.embedding_dim = recipe.embedding_dim;
  config.units = recipe.units;
  config.layers = recipe.layers;
  config.bidirectional = recipe.bidirectional;
  config.mask_padding = recipe.mask_padding;
  config.sequence = data.sequence;
  if (Status s = config.validate(); !s) return Error{s.error()};
  return std::unique_ptr<Session>(new Session(recipe, std::move(data), config));
}

Session::Session(const Recipe& recipe, TrainingData data, const ModelConfig& config)
    : recipe_(recipe),
      data_(std::move(data)),
      config_(config),
      weights_(portable_random_weights(config, recipe.seed)),
      grad_(ModelWeights::zeros(config)),
      adam_(weights_, static_cast<float>(recipe.learning_rate), 0.9f, 0.999f, 1e-7f, 0.0f),
      network_(config),
      rng_(recipe.seed + 1) {
  // As tools/train: a stratified, seeded validation split of the training reviews (portable draws).
  const Examples all = to_examples(*data_.split("train"), config.sequence.maxlen);
  std::vector<int> train_rows, validation_rows;
  portable_stratified_split(all.labels, recipe.validation, recipe.seed, train_rows, validation_rows);
  train_ = select(all, train_rows);
  validation_ = select(all, validation_rows);
  if (const DataSplit* test = data_.split("test")) test_ = to_examples(*test, config.sequence.maxlen);
  // The ids now live in the Examples; the file's copy is not needed twice.
  for (DataSplit& split : data_.splits) {
    split.ids = {};
    split.labels = {};
  }
  order_.resize(train_.count());
  std::iota(order_.begin(), order_.end(), 0);
  rows_.resize(recipe.batch);
  labels_.resize(recipe.batch);
  probabilities_.resize(recipe.batch);
}

StepReport Session::step() {
  if (next_ == 0) rng_.shuffle(order_);
  StepReport report;
  report.epoch = epochs_done_ + 1;
  report.batch = next_ / recipe_.batch + 1;
  const int count = std::min(recipe_.batch, train_.count() - next_);
  for (int i = 0; i < count; ++i) {
    rows_[i] = train_.row(order_[next_ + i]);
    labels_[i] = train_.labels[order_[next_ + i]];
  }
  // A masked model runs the batch on the steps that hold a word in some review (as tools/train).
  const StepWindow window = batch_window(config_, rows_.data(), count, train_.steps);
  const DropoutMasks masks = portable_dropout(config_, count, recipe_.dropout, rng_);
  set_zero(grad_);
  BatchView view;
  view.sequences = rows_.data();
  view.labels = labels_.data();
  view.count = count;
  view.steps = window.end - window.first;
  view.dropout = &masks;
  report.loss = network_.run(weights_, view, &grad_, 1.0f / count, probabilities_.data()) / count;
  const int stacks = config_.layers * config_.directions();
  report.gradient_norms.assign(std::size_t(stacks) * train_.steps, 0.0f);
  for (int stack = 0; stack < stacks; ++stack) {
    const std::vector<float>& norms =
        network_.state_gradient_norms(stack / config_.directions(), stack % config_.directions());
    std::copy(norms.begin(), norms.end(),
              report.gradient_norms.begin() + std::size_t(stack) * train_.steps + window.first);
  }
  clip_global_norm(grad_, recipe_.clip);
  adam_.step(weights_, grad_);
  report.count = count;
  for (int i = 0; i < count; ++i) report.correct += (probabilities_[i] >= 0.5f) == (labels_[i] >= 0.5f);
  next_ += count;
  if (next_ >= train_.count()) {
    next_ = 0;
    ++epochs_done_;
    report.epoch_end = true;
  }
  return report;
}

const Examples* Session::examples(const std::string& split) const {
  if (split == "train") return &train_;
  if (split == "validation") return &validation_;
  if (split == "test") return test_.count() ? &test_ : nullptr;
  return nullptr;
}

Result<BinaryMetrics> Session::evaluate(const std::string& split) const {
  const Examples* data = examples(split);
  if (!data) return Error{"no split \"" + split + "\" to evaluate (train, validation or test)"};
  constexpr int kBatch = 256;  // as tools/train's validation
  std::vector<float> probabilities(data->count());
  std::vector<const std::int32_t*> rows;
  for (int first = 0; first < data->count(); first += kBatch) {
    const int count = std::min(kBatch, data->count() - first);
    rows.clear();
    for (int i = first; i < first + count; ++i) rows.push_back(data->row(i));
    const StepWindow window = batch_window(config_, rows.data(), count, data->steps);
    BatchView view;
    view.sequences = rows.data();
    view.labels = data->labels.data() + first;
    view.count = count;
    view.steps = window.end - window.first;
    network_.run(weights_, view, nullptr, 1.0f, probabilities.data() + first);
  }
  return binary_metrics(probabilities, data->labels);
}

std::string Session::export_model(const std::string& provenance_json) const {
  return write_model(ModelFile{config_, weights_, data_.vocabulary, provenance_json}, DType::F32);
}

}  // namespace unroll::train
