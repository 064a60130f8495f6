#pragma once
// Which words mattered: leave-one-out effects on the logit, and the vocabulary words that push a
// first-layer unit hardest. Model math, so it lives in the core; wasm/ only exposes it.

#include <vector>

#include "nn/model.h"
#include "text/sequence.h"
#include "util/result.h"

namespace unroll {

/**
 * For each word of a review (its vocabulary ids, in order, before the start id and padding are
 * added): logit(review) − logit(review without that word), both read through make_sequence with
 * the model's options. Words outside the window (truncated away) get NaN. Costs one forward pass
 * per word in the window, plus one.
 */
std::vector<float> leave_one_out(Model& model, const std::vector<int>& word_ids);

/** A vocabulary word and its weight in a column of embedding · kernel. */
struct WordScore {
  int id = 0;
  float value = 0.0f;
};

struct TopWords {
  std::vector<WordScore> positive;  // largest values first
  std::vector<WordScore> negative;  // smallest values first
};

/**
 * The `k` vocabulary words (ids ≥ Vocabulary::kFirstWord) with the largest and the smallest
 * entries of column `unit` of embedding · kernel of layer 0, `direction` (0 forward, 1 backward):
 * what a word alone adds to the unit's pre-activation (first gate block). Ties are broken by id.
 * `k` is clamped to the vocabulary; an Error names an out-of-range direction or unit.
 */
Result<TopWords> top_words(const Model& model, int direction, int unit, int k);

}  // namespace unroll
