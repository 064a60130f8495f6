#pragma once
// Keras `pad_sequences` semantics: fixed-length id sequences for the network.

#include <string_view>
#include <vector>

#include "text/tokenizer.h"
#include "text/vocabulary.h"
#include "util/result.h"

namespace unroll {

enum class Side { Pre, Post };

/** How a review becomes a sequence. The defaults are the tutorial's (Keras' defaults). */
struct SequenceOptions {
  int maxlen = 80;            // 0 (or less) means: no padding, no truncation (as long as the text)
  Side padding = Side::Pre;     // where padding ids go when the review is short
  Side truncating = Side::Pre;  // which end is cut when the review is long (Pre keeps the last words)
  bool start_token = true;    // prepend id 1, as keras.datasets.imdb does
  // false: a short review is not padded up to maxlen (long ones are still truncated). Models with
  // mask_padding read their reviews so: a padding step would leave every state as it is.
  bool pad = true;
};

/** "pre" or "post", as in Keras and the model file. */
const char* to_string(Side side);
/** The inverse of to_string (case-sensitive); anything else is an Error quoting the input. */
Result<Side> parse_side(std::string_view name);

/** What the network reads, and how it relates to the review's tokens. */
struct Sequence {
  std::vector<int> ids;  // length maxlen (or the full length when maxlen is 0, or shorter with pad false)
  // For each position of `ids`: index into the token list, or -1 for padding and the start token.
  std::vector<int> token_index;
  // For each token of the review: its position in `ids`, or -1 if it was truncated away.
  std::vector<int> position;
  int kept_tokens = 0;     // tokens that made it into the window
  int padding = 0;         // padding ids added
  bool start_kept = false; // whether the start id survived truncation
};

/**
 * Builds the id sequence for tokens already produced by tokenize(), exactly as Keras'
 * pad_sequences would for [1] + ids (or ids): the start id is prepended before truncating, so
 * truncating "pre" a long review drops it (start_kept false). Unknown words get id 2.
 */
Sequence make_sequence(const std::vector<Token>& tokens, const Vocabulary& vocabulary,
                       const SequenceOptions& options);

/** Same, for ids (start id not yet added). Used by the trainer on pre-tokenized corpora. */
Sequence make_sequence(const std::vector<int>& word_ids, const SequenceOptions& options);

}  // namespace unroll
