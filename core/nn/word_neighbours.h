#pragma once
// Words to offer in place of a word of the review: its nearest neighbours in the embedding, and
// words whose effect on the verdict has the opposite sign. Model math, so it lives in the core;
// wasm/ only exposes it (the page's word menu, issue #17 item 2).

#include <vector>

#include "nn/model.h"

namespace unroll {

/** A vocabulary word and how close its embedding row is to another's (cosine, −1..1). */
struct WordSimilarity {
  int id = 0;
  float similarity = 0.0f;
};

/** A vocabulary word and its effect (word_effects). */
struct WordEffect {
  int id = 0;
  float effect = 0.0f;
};

/**
 * For every id: logit(the review that is this word alone) − logit(the empty review), both read
 * through make_sequence with the model's options; 0 for the reserved ids. What a word pushes the
 * verdict by when nothing else is said. A unidirectional model whose word is the last step runs
 * the shared steps before it (start token, padding) once and then one batched cell step per
 * layer for every word (cell_forward over rows); a one-layer bidirectional model runs what each
 * direction reads before the word once, then the word and the rest per row; a stacked
 * bidirectional model, or any model with a pooled head, runs every one-word review through
 * BatchRunner. Each result equals
 * Model::logit on its sequence to rounding (~1e-6).
 */
std::vector<float> word_effects(Model& model);

/**
 * Nearest neighbours and opposite-effect words of one model, with what they need cached: the
 * embedding rows' norms (first nearest() call, ~1 ms at 20,000 words) and word_effects (first
 * opposite() call, one batched pass over the vocabulary). The Model must outlive this object and
 * its weights must not change.
 */
class WordNeighbours {
 public:
  explicit WordNeighbours(Model& model) : model_(model) {}

  /**
   * The `k` words (ids ≥ Vocabulary::kFirstWord, not `id`) whose embedding rows have the largest
   * cosine similarity to row `id`, most similar first; ties by id. Empty if `id` is not a word
   * or `k` ≤ 0. A zero row has similarity 0 to everything.
   */
  std::vector<WordSimilarity> nearest(int id, int k);

  /**
   * Up to `k` words whose effect has the opposite sign to `id`'s (an effect of 0 counts as
   * positive) — the ones that would push the verdict the other way. The rule: of the opposite-sign
   * words, take the shortlist of the max(4k, 32) with the largest |effect| (strong enough to
   * matter), then order it by embedding similarity to `id`, nearest first (ties by id), so that
   * the words offered are both strong and, where the embedding knows one, related ("good" →
   * "bad" before "waste"). Empty if `id` is not a word or `k` ≤ 0.
   */
  std::vector<WordEffect> opposite(int id, int k);

  /** word_effects(model), computed on first use. */
  const std::vector<float>& effects();

 private:
  bool is_word(int id) const;
  float similarity(int a, int b) const;
  void ensure_norms();

  Model& model_;
  std::vector<float> norms_;    // [vocab] ‖embedding row‖
  std::vector<float> effects_;  // [vocab] word_effects
};

}  // namespace unroll
