#pragma once
// Words ↔ ids, with the reserved ids Keras' IMDB loader uses.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/result.h"

namespace unroll {

/**
 * A fixed word list. Ids 0, 1, 2 are reserved (padding, start of review, out-of-vocabulary);
 * word i of the list has id i + 3. `size()` counts the reserved ids, so it equals the number of
 * rows of the embedding.
 */
class Vocabulary {
 public:
  static constexpr int kPadding = 0;
  static constexpr int kStart = 1;
  static constexpr int kOutOfVocabulary = 2;
  static constexpr int kFirstWord = 3;

  Vocabulary() = default;

  /**
   * A vocabulary of exactly these words (ids from 3, in order). Fails, naming the word, on
   * duplicates, empty words and words containing a line break ('\n' or '\r').
   */
  static Result<Vocabulary> from_words(std::vector<std::string> words);

  /**
   * The `max_words` most frequent words of a tokenized corpus (fewer if the corpus has fewer).
   * Ties are broken by the word's bytes in ascending order, so the result never depends on
   * hash order or on the order of documents. Empty words and words with line breaks are skipped;
   * `max_words` <= 0 gives an empty vocabulary.
   */
  static Vocabulary build(const std::vector<std::vector<std::string>>& documents, int max_words);

  /** Id of a word (already lowercased, as from tokenize), or kOutOfVocabulary. */
  int id(std::string_view word) const;
  /** The word of an id; "<pad>", "<start>", "<unk>" for reserved ids, "" when out of range. */
  std::string_view word(int id) const;

  /** Number of ids, reserved ones included. */
  int size() const { return static_cast<int>(words_.size()) + kFirstWord; }
  const std::vector<std::string>& words() const { return words_; }

  /** Newline-separated words, id order, no final newline (words never contain newlines). */
  std::string serialize() const;
  /**
   * The inverse of serialize(), exact. One final '\n' is accepted as a line terminator; otherwise
   * the same checks as from_words() (word N of an error message is line N).
   */
  static Result<Vocabulary> deserialize(std::string_view text);

 private:
  std::vector<std::string> words_;
  std::unordered_map<std::string, int> ids_;
};

}  // namespace unroll
