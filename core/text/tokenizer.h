#pragma once
// Text → words, the way the network was trained to see them.

#include <cstddef>
#include <functional>
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
 * Splits a review into words. Linear time, never throws, accepts any bytes.
 * - HTML tags count as spaces: '<' followed by a letter, '/', '!' or '?' (`<br />`, `<i>`,
 *   `</i>`, `<!-- -->`), up to the next '>'. Any other '<' (`a < b`, `I <3 it`), or one with no
 *   '>' after it, is an ordinary separator.
 * - A word is a maximal run of letters, digits and apostrophes. Letters include every non-ASCII
 *   code point that is not punctuation/symbol/space (é, 中, ß, combining accents stay inside
 *   words); general punctuation (U+2000–206F: curly quotes, dashes, ZWJ), Latin-1 punctuation and
 *   symbols (U+00A0–00BF, ×, ÷), CJK and fullwidth punctuation, arrows/symbols (U+2190–2BFF),
 *   emoji (U+1F000–1FBFF) and variation selectors separate words.
 * - Apostrophes are ' and ’ (U+2019); inside a word ’ is written as ' in Token::text, so that
 *   "don’t" and "don't" are the same vocabulary word. Leading and trailing apostrophes are not
 *   part of a word ('quoted' → quoted).
 * - Token::text is lowercased (see utf8::to_lower: ASCII, Latin, Greek, Cyrillic, Armenian).
 * - Invalid UTF-8 (stray continuation bytes, overlong forms, surrogates, 0xC0/0xC1/0xF5–0xFF, a
 *   sequence cut short by the end of the text) separates words, one byte at a time, and is never
 *   read past the end of the input. NUL and other control characters are separators.
 * Spans refer to the original text, so `text.substr(begin, end - begin)` is the word as typed
 * (its byte length may differ from Token::text's: lowercasing İ gives i, and ’ becomes ').
 */
std::vector<Token> tokenize(std::string_view text);

/** Receives each token in turn; the Token (and its text) is only valid during the call. */
using TokenSink = std::function<void(const Token&)>;

/**
 * The same words as tokenize(), handed to `sink` one at a time instead of collected: reading a
 * 10 MB paste this way keeps no per-word memory (see text/reading.h).
 */
void for_each_token(std::string_view text, const TokenSink& sink);

}  // namespace unroll
