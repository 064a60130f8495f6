#pragma once
// Text → words, the way the network was trained to see them.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace unroll {

/** One word of a text, lowercased, with where it stands in the original bytes. */
struct Token {
  std::string text;   // lowercased UTF-8 (ASCII and Latin/Greek/Cyrillic letters folded)
  std::size_t begin;  // byte offset of the first byte in the original text
  std::size_t end;    // byte offset one past the last byte in the original text
};

/**
 * Splits a review into words.
 * - HTML tags (`<br />`, `<i>`, any `<...>` up to the next `>`) count as spaces.
 * - A word is a maximal run of letters, digits and apostrophes. Letters include every non-ASCII
 *   code point that is not punctuation/symbol/space (é, 中, ß stay inside words); emoji and other
 *   symbols separate words.
 * - Invalid UTF-8 bytes separate words and are never read past the end of the input.
 * - Leading and trailing apostrophes are not part of a word ('quoted' → quoted).
 * Spans refer to the original text, so `text.substr(begin, end - begin)` is the word as typed.
 */
std::vector<Token> tokenize(std::string_view text);

}  // namespace unroll
