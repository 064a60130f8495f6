#include "nn/attribution.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace unroll {

std::vector<float> leave_one_out(Model& model, const std::vector<int>& word_ids) {
  const SequenceOptions& options = model.config().sequence;
  const Sequence full = make_sequence(word_ids, options);
  const float base = model.logit(full.ids);

  std::vector<float> effects(word_ids.size(), std::numeric_limits<float>::quiet_NaN());
  std::vector<int> without;
  without.reserve(word_ids.size());
  for (std::size_t i = 0; i < word_ids.size(); ++i) {
    if (full.position[i] < 0) continue;
    without.assign(word_ids.begin(), word_ids.begin() + static_cast<std::ptrdiff_t>(i));
    without.insert(without.end(), word_ids.begin() + static_cast<std::ptrdiff_t>(i) + 1, word_ids.end());
    effects[i] = base - model.logit(make_sequence(without, options).ids);
  }
  return effects;
}

Result<TopWords> top_words(const Model& model, int direction, int unit, int k) {
  const ModelConfig& config = model.config();
  if (direction < 0 || direction >= config.directions())
    return Error{"direction " + std::to_string(direction) + " out of range 0.." +
                 std::to_string(config.directions() - 1)};
  if (unit < 0 || unit >= config.units)
    return Error{"unit " + std::to_string(unit) + " out of range 0.." + std::to_string(config.units - 1)};

  const Matrix& embedding = model.weights().embedding;            // [vocab_size × embedding_dim]
  const Matrix& kernel = model.weights().rnn[direction].kernel;  // [embedding_dim × G·units]
  const int first = Vocabulary::kFirstWord;
  const int words = std::max(0, config.vocab_size - first);
  // column = embedding[first:] · kernel[:, unit]
  const Vector column = embedding.bottomRows(words) * kernel.col(unit);

  std::vector<WordScore> scores(static_cast<std::size_t>(words));
  for (int i = 0; i < words; ++i) scores[i] = {first + i, column[i]};
  const std::size_t count = static_cast<std::size_t>(std::clamp(k, 0, words));

  TopWords top;
  auto larger = [](const WordScore& a, const WordScore& b) {
    return a.value > b.value || (a.value == b.value && a.id < b.id);
  };
  auto smaller = [](const WordScore& a, const WordScore& b) {
    return a.value < b.value || (a.value == b.value && a.id < b.id);
  };
  std::partial_sort(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(count), scores.end(), larger);
  top.positive.assign(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(count));
  std::partial_sort(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(count), scores.end(), smaller);
  top.negative.assign(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(count));
  return top;
}

}  // namespace unroll
