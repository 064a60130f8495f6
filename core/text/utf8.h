#pragma once
// UTF-8 decoding and encoding, and the simple lowercase mapping the tokenizer applies. Reviews
// are user input: the decoder must accept any bytes without reading past the end.

#include <cstddef>
#include <string>
#include <string_view>

namespace unroll::utf8 {

/** One decoded code point and how many bytes it took; `length` 0 means an invalid byte. */
struct Decoded {
  char32_t code_point;
  std::size_t length;
};

/**
 * Decodes the code point starting at byte `pos` (< text.size()). Strict (RFC 3629): overlong
 * forms, surrogates, values above U+10FFFF, stray continuation bytes, 0xC0/0xC1/0xF5–0xFF and
 * sequences cut short by the end of `text` are invalid, reported as {U+FFFD, 0} so the caller
 * skips exactly one byte and resynchronises on the next one.
 */
Decoded decode(std::string_view text, std::size_t pos);

/** Appends the UTF-8 encoding of a valid code point (not a surrogate, at most U+10FFFF). */
void append(std::string& out, char32_t code_point);

/**
 * Simple (one code point to one code point) lowercase mapping for ASCII, Latin-1, Latin
 * Extended-A, Latin Extended Additional, Greek, Cyrillic (with its supplement) and fullwidth
 * Latin; every other code point is returned unchanged. İ (U+0130) maps to i and ẞ (U+1E9E) to ß.
 * The encoded length may change (İ takes 2 bytes, i one), which is why tokens carry spans into
 * the original text instead of into the lowercased one.
 */
char32_t to_lower(char32_t code_point);

}  // namespace unroll::utf8
