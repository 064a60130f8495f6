#pragma once
// A review read for the network in one pass, keeping only the words near the window. What a
// reader of a 10 MB paste is shown is the last maxlen words and a few counts, not two million
// tokens: memory stays O(maxlen) whatever the length of the text.

#include <cstddef>
#include <string_view>
#include <vector>

#include "text/sequence.h"
#include "text/tokenizer.h"
#include "text/vocabulary.h"

namespace unroll {

struct Reading {
  std::vector<Token> tokens;     // the kept tokens, in order (see read_review)
  std::vector<int> word_ids;     // their vocabulary ids (Vocabulary::kOutOfVocabulary if unknown)
  std::size_t first_token = 0;   // index of tokens[0] among all the review's tokens
  std::size_t total_tokens = 0;  // tokens in the whole review
  std::size_t oov_tokens = 0;    // how many of them are out of the vocabulary
  // Exactly make_sequence(tokenize(text), ...)'s ids; token_index and position refer to `tokens`.
  Sequence sequence;
};

/** `context` for read_review: keep every token. */
inline constexpr std::size_t kEveryToken = static_cast<std::size_t>(-1);

/**
 * Tokenizes `text` and builds its sequence as make_sequence(tokenize(text), ...) would, keeping the
 * window's tokens plus `context` tokens next to it on the truncated side (at least one), or every
 * token when options.maxlen ≤ 0. The one extra word is what makes the kept ids enough for
 * leave_one_out(): removing a word of the window can bring exactly one word into it, the
 * neighbour on the truncated side, so its effects over `word_ids` equal those over all the words.
 */
Reading read_review(std::string_view text, const Vocabulary& vocabulary,
                    const SequenceOptions& options, std::size_t context);

}  // namespace unroll
