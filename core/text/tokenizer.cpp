#include "text/tokenizer.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "text/utf8.h"

namespace unroll {
namespace {

enum class CharKind { Separator, WordChar, Apostrophe };

struct Range {
  char32_t first, last;  // inclusive
};

// Non-ASCII code points that separate words; every other valid code point is part of a word.
// A deny list, not an allow list of letters, because the tokenizer must keep scripts it knows
// nothing about (Devanagari, Hangul, Ethiopic, ...) together, and what separates words in
// reviews is mostly a short, well-known set: spaces, punctuation, symbols and emoji.
// Sorted by `first` and non-overlapping, for the binary search in classify().
// clang-format off
constexpr Range kSeparators[] = {
    {0x0080, 0x00BF},    // C1 controls, NBSP, Latin-1 punctuation and symbols (« » ¡ ¿ © °)
    {0x00D7, 0x00D7},    // ×
    {0x00F7, 0x00F7},    // ÷
    {0x02C2, 0x02C5},    // modifier arrowheads
    {0x02D2, 0x02DF},    // spacing diacritics (˘ ˙ ˚ ˛ ˜ ˝)
    {0x037E, 0x037E},    // Greek question mark
    {0x0387, 0x0387},    // Greek ano teleia
    {0x055A, 0x055F},    // Armenian punctuation
    {0x0589, 0x058A},
    {0x05BE, 0x05BE},    // Hebrew punctuation
    {0x05C0, 0x05C0},
    {0x05C3, 0x05C3},
    {0x05C6, 0x05C6},
    {0x05F3, 0x05F4},
    {0x060C, 0x060D},    // Arabic comma, semicolon, question mark, percent sign, full stop
    {0x061B, 0x061B},
    {0x061D, 0x061F},
    {0x066A, 0x066D},
    {0x06D4, 0x06D4},
    {0x0964, 0x0965},    // Devanagari danda
    {0x0E3F, 0x0E3F},    // Thai baht sign
    {0x1680, 0x1680},    // Ogham space
    {0x180E, 0x180E},    // Mongolian vowel separator
    {0x2000, 0x206F},    // general punctuation: spaces, dashes, curly quotes, ZWJ, bullets, …
    {0x20A0, 0x20CF},    // currency signs (€ ₹)
    {0x2103, 0x2103},    // ℃
    {0x2109, 0x2109},    // ℉
    {0x2116, 0x2116},    // №
    {0x2122, 0x2122},    // ™
    {0x2190, 0x2BFF},    // arrows, math operators, technical, box drawing, shapes, dingbats, ★ ♥
    {0x2E00, 0x2E7F},    // supplemental punctuation
    {0x3000, 0x3004},    // CJK space and punctuation (、 。 〃); 々 〆 〇 are letters
    {0x3008, 0x3020},    // CJK brackets 「」【】; 〡..〩 are numerals
    {0x3030, 0x3030},    // 〰; 〱..〵 are kana repeat marks
    {0x3036, 0x3037},
    {0x303D, 0x303F},
    {0x30A0, 0x30A0},    // katakana-hiragana double hyphen
    {0x30FB, 0x30FB},    // katakana middle dot
    {0xE000, 0xF8FF},    // private use
    {0xFD3E, 0xFD3F},    // ornate parentheses
    {0xFE00, 0xFE1F},    // variation selectors (emoji presentation), vertical forms
    {0xFE30, 0xFE6F},    // CJK compatibility forms, small form variants
    {0xFEFF, 0xFEFF},    // byte order mark
    {0xFF00, 0xFF0F},    // fullwidth ！＂＃＄％＆＇（）＊＋，－．／
    {0xFF1A, 0xFF20},    // fullwidth ：；＜＝＞？＠
    {0xFF3B, 0xFF40},    // fullwidth ［＼］＾＿｀
    {0xFF5B, 0xFF65},    // fullwidth ｛｜｝～ and halfwidth CJK punctuation
    {0xFFE0, 0xFFEE},    // fullwidth signs ￠ ￡
    {0xFFF0, 0xFFFF},    // specials, U+FFFD replacement character
    {0x1F000, 0x1FBFF},  // mahjong, cards, enclosed, emoji, pictographs, symbols
    {0xE0000, 0xE007F},  // tag characters (emoji flag sequences)
    {0xE0100, 0xE01EF},  // variation selectors supplement
    {0xF0000, 0x10FFFF}, // supplementary private use
};
// clang-format on

constexpr bool sorted_and_disjoint() {
  for (std::size_t i = 0; i < std::size(kSeparators); ++i) {
    if (kSeparators[i].first > kSeparators[i].last) return false;
    if (i > 0 && kSeparators[i - 1].last >= kSeparators[i].first) return false;
  }
  return true;
}
static_assert(sorted_and_disjoint(), "kSeparators must be sorted and disjoint");

constexpr char32_t kRightSingleQuote = 0x2019;  // ’

bool is_ascii_alnum(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/** Kind of a non-ASCII code point (ASCII is handled inline in tokenize()). */
CharKind classify(char32_t c) {
  // Typographic apostrophe (don’t), checked before the general punctuation block holding it.
  if (c == kRightSingleQuote) return CharKind::Apostrophe;
  const auto after =
      std::upper_bound(std::begin(kSeparators), std::end(kSeparators), c,
                       [](char32_t value, const Range& range) { return value < range.first; });
  if (after != std::begin(kSeparators) && c <= std::prev(after)->last) return CharKind::Separator;
  return CharKind::WordChar;
}

bool starts_tag(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!' || c == '?';
}

/**
 * Finds the '>' closing a tag. The position of the first '>' at or after the last search start is
 * remembered, so that every byte is searched at most once: without this, a text of many '<' and
 * no '>' would be scanned to its end once per '<' (quadratic: hours for ten megabytes).
 */
class TagCloser {
 public:
  explicit TagCloser(std::string_view text) : text_(text) {}

  /** Offset of the first '>' at or after `from`, or npos when there is none. */
  std::size_t find(std::size_t from) {
    if (!searched_ || (next_ != std::string_view::npos && next_ < from)) {
      next_ = text_.find('>', from);
      searched_ = true;
    }
    // Once no '>' follows some offset, none follows any later offset either: npos is kept.
    return next_;
  }

 private:
  std::string_view text_;
  std::size_t next_ = std::string_view::npos;
  bool searched_ = false;
};

/**
 * Accumulates the current word; apostrophes are held back until a letter follows them. One Token
 * is reused for every word, so a long text costs no allocation per word.
 */
class WordBuilder {
 public:
  explicit WordBuilder(const TokenSink& sink) : sink_(sink) {}

  void add_word_char(char32_t c, std::size_t begin, std::size_t end) {
    open_at(begin);
    utf8::append(token_.text, utf8::to_lower(c));
    token_.end = end;
    kept_size_ = token_.text.size();
  }

  /** The common case, without decoding or table lookups: an ASCII letter or digit at `pos`. */
  void add_ascii_alnum(char c, std::size_t pos) {
    open_at(pos);
    token_.text.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c);
    token_.end = pos + 1;
    kept_size_ = token_.text.size();
  }

  /** An apostrophe only belongs to a word between two word characters (don't, rock'n'roll). */
  void add_apostrophe() {
    if (open_) token_.text.push_back('\'');  // ’ becomes ' so both spellings hit the same vocabulary id
  }

  void finish() {
    if (!open_) return;
    token_.text.resize(kept_size_);  // drop trailing apostrophes (students' → students)
    sink_(token_);
    token_.text.clear();
    open_ = false;
  }

 private:
  void open_at(std::size_t begin) {
    if (open_) return;
    open_ = true;
    token_.begin = begin;
  }

  const TokenSink& sink_;
  bool open_ = false;
  Token token_;  // end: one past the last word character (not the last apostrophe)
  std::size_t kept_size_ = 0;
};

}  // namespace

void for_each_token(std::string_view text, const TokenSink& sink) {
  WordBuilder word(sink);
  TagCloser tag_closer(text);
  const std::size_t n = text.size();
  std::size_t pos = 0;
  while (pos < n) {
    const char byte = text[pos];
    // A tag is '<' followed by a letter, '/', '!' or '?' (as in HTML, so "I <3 it" or "a < b"
    // keep their words), up to the next '>'. Without a '>' it is no tag: '<' is a separator.
    if (byte == '<' && pos + 1 < n && starts_tag(text[pos + 1])) {
      const std::size_t close = tag_closer.find(pos + 1);
      if (close != std::string_view::npos) {
        word.finish();
        pos = close + 1;
        continue;
      }
    }
    if (static_cast<unsigned char>(byte) < 0x80) {  // ASCII: most of the text, kept cheap
      if (is_ascii_alnum(static_cast<unsigned char>(byte))) {
        word.add_ascii_alnum(byte, pos);
      } else if (byte == '\'') {
        word.add_apostrophe();
      } else {
        word.finish();
      }
      ++pos;
      continue;
    }
    const utf8::Decoded decoded = utf8::decode(text, pos);
    if (decoded.length == 0) {  // invalid byte: a separator, then resynchronise on the next byte
      word.finish();
      ++pos;
      continue;
    }
    switch (classify(decoded.code_point)) {
      case CharKind::WordChar:
        word.add_word_char(decoded.code_point, pos, pos + decoded.length);
        break;
      case CharKind::Apostrophe:
        word.add_apostrophe();
        break;
      case CharKind::Separator:
        word.finish();
        break;
    }
    pos += decoded.length;
  }
  word.finish();
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  for_each_token(text, [&tokens](const Token& token) { tokens.push_back(token); });
  return tokens;
}

}  // namespace unroll
