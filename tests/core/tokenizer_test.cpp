// The tokenizer decides what the network sees, and the UI highlights words by their spans: both
// the words and the spans into the original text are checked, including on hostile input.

#include "text/tokenizer.h"

#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "text/utf8.h"

namespace {

using unroll::Token;
using unroll::tokenize;

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  for (const Token& token : tokenize(text)) words.push_back(token.text);
  return words;
}

// What each token covers in the original text.
std::vector<std::string> spans_of(std::string_view text) {
  std::vector<std::string> spans;
  for (const Token& token : tokenize(text)) {
    spans.emplace_back(text.substr(token.begin, token.end - token.begin));
  }
  return spans;
}

using Words = std::vector<std::string>;

bool is_valid_utf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const unroll::utf8::Decoded decoded = unroll::utf8::decode(text, pos);
    if (decoded.length == 0) return false;
    pos += decoded.length;
  }
  return true;
}

// Invariants every tokenization must satisfy, whatever the input.
void check_invariants(std::string_view text, const std::vector<Token>& tokens) {
  std::size_t previous_end = 0;
  for (const Token& token : tokens) {
    REQUIRE(token.begin < token.end);
    REQUIRE(token.end <= text.size());
    REQUIRE(token.begin >= previous_end);  // in order, not overlapping
    previous_end = token.end;
    REQUIRE_FALSE(token.text.empty());
    REQUIRE(is_valid_utf8(token.text));
    REQUIRE(token.text.front() != '\'');
    REQUIRE(token.text.back() != '\'');
    // The span starts and ends on a word character, never on an apostrophe.
    REQUIRE(text[token.begin] != '\'');
    REQUIRE(text[token.end - 1] != '\'');
  }
}

double seconds_to_tokenize(std::string_view text, std::size_t* token_count) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<Token> tokens = tokenize(text);
  const auto stop = std::chrono::steady_clock::now();
  *token_count = tokens.size();
  return std::chrono::duration<double>(stop - start).count();
}

// Optimized builds tokenize 10 MB in about a tenth of a second. Unoptimized builds are several
// times slower, and a busy machine slows both; a quadratic tag scan over these inputs would take
// hours, so the looser Debug bound still catches it.
#ifdef NDEBUG
constexpr double kLargeInputSeconds = 1.0;
#else
constexpr double kLargeInputSeconds = 5.0;
#endif

}  // namespace

TEST_CASE("tokenize splits on spaces and punctuation, lowercases ASCII", "[tokenizer]") {
  const std::string text = "Hello, World! This movie is GREAT.";
  const std::vector<Token> tokens = tokenize(text);
  REQUIRE(words_of(text) == Words{"hello", "world", "this", "movie", "is", "great"});
  REQUIRE(spans_of(text) == Words{"Hello", "World", "This", "movie", "is", "GREAT"});
  REQUIRE(tokens[0].begin == 0);
  REQUIRE(tokens[0].end == 5);
  REQUIRE(tokens[1].begin == 7);
  REQUIRE(tokens[1].end == 12);
  REQUIRE(tokens.back().end == text.size() - 1);
  check_invariants(text, tokens);

  REQUIRE(words_of("one\ttwo\nthree\r\nfour  five") ==
          Words{"one", "two", "three", "four", "five"});
  REQUIRE(words_of("a-b_c.d,e;f:g!h?i(j)k[l]m{n}o\"p/q\\r@s#t$u%v^w&x*y+z=0|1~2`3") ==
          Words{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
                "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "0", "1", "2", "3"});
}

TEST_CASE("tokenize handles empty and wordless input", "[tokenizer]") {
  REQUIRE(tokenize("").empty());
  REQUIRE(tokenize(std::string_view()).empty());
  REQUIRE(tokenize(" ").empty());
  REQUIRE(tokenize(" \t\r\n\v\f  ").empty());
  REQUIRE(tokenize("!!! ... ???").empty());
  REQUIRE(tokenize("'").empty());
  REQUIRE(tokenize("'''  ''").empty());
  REQUIRE(tokenize("<br /><br />").empty());
  REQUIRE(tokenize("\xE2\x80\x9C\xE2\x80\x9D \xE2\x80\x94").empty());  // “” —
  REQUIRE(tokenize("\xF0\x9F\x98\x80\xF0\x9F\x91\x8D").empty());       // 😀👍
}

TEST_CASE("tokenize turns IMDB line breaks and other HTML tags into spaces", "[tokenizer]") {
  SECTION("<br /><br /> between sentences and glued to words") {
    const std::string text = "A fine film.<br /><br />The acting was superb.<br /><br />10/10";
    REQUIRE(words_of(text) ==
            Words{"a", "fine", "film", "the", "acting", "was", "superb", "10", "10"});
    REQUIRE(spans_of(text) ==
            Words{"A", "fine", "film", "The", "acting", "was", "superb", "10", "10"});
    check_invariants(text, tokenize(text));
  }
  SECTION("a tag separates the words it touches") {
    const std::string text = "good<br/>bad<BR>ugly<br />x";
    REQUIRE(words_of(text) == Words{"good", "bad", "ugly", "x"});
    const std::vector<Token> tokens = tokenize(text);
    REQUIRE(tokens[1].begin == 9);  // "bad" right after the 5-byte "<br/>"
    REQUIRE(tokens[1].end == 12);
  }
  SECTION("tags with attributes, closing tags, comments") {
    REQUIRE(words_of("<i>wow</i> and <a href=\"http://x.com/a b\">link</a>") ==
            Words{"wow", "and", "link"});
    REQUIRE(words_of("before<!-- a comment -->after") == Words{"before", "after"});
    REQUIRE(words_of("<?xml version=\"1.0\"?>text") == Words{"text"});
    REQUIRE(words_of("wo<b>r</b>d") == Words{"wo", "r", "d"});
    REQUIRE(words_of("<p\nclass=x>multi line tag</p>") == Words{"multi", "line", "tag"});
  }
  SECTION("a tag ends at the first '>'") {
    REQUIRE(words_of("<a title=\"x > y\">link</a>") == Words{"y", "link"});
    REQUIRE(words_of("<b>>bold") == Words{"bold"});
  }
}

TEST_CASE("tokenize treats '<' that opens no tag as a separator", "[tokenizer]") {
  // Without a closing '>' nothing is a tag, and the rest of the text is still read.
  REQUIRE(words_of("x <y and z") == Words{"x", "y", "and", "z"});
  REQUIRE(words_of("a<b") == Words{"a", "b"});
  REQUIRE(words_of("<br") == Words{"br"});
  REQUIRE(words_of("<") == Words{});
  REQUIRE(words_of("great <br /> film <i unclosed") == Words{"great", "film", "i", "unclosed"});
  // '<' not followed by a letter, '/', '!' or '?' is not a tag even when a '>' follows.
  REQUIRE(words_of("a < b > c") == Words{"a", "b", "c"});
  REQUIRE(words_of("I <3 this film > that one") == Words{"i", "3", "this", "film", "that", "one"});
  REQUIRE(words_of("1<2 and 3>2") == Words{"1", "2", "and", "3", "2"});
  REQUIRE(words_of("<<b>>x") == Words{"x"});
  REQUIRE(words_of("<<<< word >>>>") == Words{"word"});
  REQUIRE(words_of("<<<<word>>>>") == Words{});  // <word> is a tag
  const std::string text = "so <3 good";
  REQUIRE(spans_of(text) == Words{"so", "3", "good"});
}

TEST_CASE("tokenize keeps apostrophes inside words only", "[tokenizer]") {
  REQUIRE(words_of("Don't") == Words{"don't"});
  REQUIRE(words_of("I'm sure it's the director's cut") ==
          Words{"i'm", "sure", "it's", "the", "director's", "cut"});
  REQUIRE(words_of("rock'n'roll") == Words{"rock'n'roll"});
  REQUIRE(words_of("'quoted'") == Words{"quoted"});
  REQUIRE(words_of("''double''") == Words{"double"});
  REQUIRE(words_of("the students' essays") == Words{"the", "students", "essays"});
  REQUIRE(words_of("'tis") == Words{"tis"});
  REQUIRE(words_of("a''b") == Words{"a''b"});
  REQUIRE(words_of("' a ' b '") == Words{"a", "b"});

  const std::string text = "He said 'wonderful' twice";
  const std::vector<Token> tokens = tokenize(text);
  REQUIRE(spans_of(text) == Words{"He", "said", "wonderful", "twice"});
  REQUIRE(tokens[2].begin == 9);  // after the opening quote
  REQUIRE(tokens[2].end == 18);   // before the closing quote
  check_invariants(text, tokens);
}

TEST_CASE("tokenize normalises the typographic apostrophe to '", "[tokenizer]") {
  const std::string text = "I don\xE2\x80\x99t like it";  // don’t
  const std::vector<Token> tokens = tokenize(text);
  REQUIRE(words_of(text) == Words{"i", "don't", "like", "it"});
  // The span is the word as typed: 3 bytes for ’, so 7 bytes for a 5-byte token.
  REQUIRE(spans_of(text)[1] == "don\xE2\x80\x99t");
  REQUIRE(tokens[1].end - tokens[1].begin == 7);
  REQUIRE(tokens[1].text.size() == 5);
  // Same vocabulary word whichever apostrophe was typed.
  REQUIRE(words_of("DON\xE2\x80\x99T") == words_of("don't"));
  REQUIRE(words_of("rock\xE2\x80\x99n\xE2\x80\x99roll") == Words{"rock'n'roll"});
  // As quotes, ‘ and ’ are stripped like '.
  REQUIRE(words_of("\xE2\x80\x98quoted\xE2\x80\x99") == Words{"quoted"});
  REQUIRE(words_of("\xE2\x80\x99\xE2\x80\x99") == Words{});
  REQUIRE(words_of("it\xE2\x80\x99'") == Words{"it"});
  check_invariants(text, tokens);
}

TEST_CASE("tokenize keeps digits in words", "[tokenizer]") {
  REQUIRE(words_of("10/10, 7.5 stars in 2004") ==
          Words{"10", "10", "7", "5", "stars", "in", "2004"});
  REQUIRE(words_of("The 80s had R2D2 and 3D") == Words{"the", "80s", "had", "r2d2", "and", "3d"});
  REQUIRE(words_of("'90s") == Words{"90s"});
}

TEST_CASE("tokenize lowercases Latin, Greek and Cyrillic with spans into the original",
          "[tokenizer]") {
  SECTION("Latin-1 and CJK") {
    const std::string text =
        "Caf\xC3\xA9 \xC3\x89"
        "COLE Stra\xC3\x9F"
        "e \xC3\x84RGER \xE4\xB8\xAD\xE6\x96\x87!";
    // Café ÉCOLE Straße ÄRGER 中文!
    REQUIRE(words_of(text) == Words{"caf\xC3\xA9",
                                    "\xC3\xA9"
                                    "cole",
                                    "stra\xC3\x9F"
                                    "e",
                                    "\xC3\xA4rger", "\xE4\xB8\xAD\xE6\x96\x87"});
    REQUIRE(spans_of(text) == Words{"Caf\xC3\xA9",
                                    "\xC3\x89"
                                    "COLE",
                                    "Stra\xC3\x9F"
                                    "e",
                                    "\xC3\x84RGER", "\xE4\xB8\xAD\xE6\x96\x87"});
    const std::vector<Token> tokens = tokenize(text);
    REQUIRE(tokens[0].begin == 0);
    REQUIRE(tokens[0].end == 5);  // é is two bytes
    REQUIRE(tokens[4].begin == text.size() - 7);
    REQUIRE(tokens[4].end == text.size() - 1);  // before '!'
    check_invariants(text, tokens);
  }
  SECTION("every Latin-1 capital, but not × ÷ ß ÿ") {
    // ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ ØÙÚÛÜÝÞ → àáâãäåæçèéêëìíîïðñòóôõö øùúûüýþ
    std::string upper, lower;
    for (char32_t c = 0xC0; c <= 0xDE; ++c) {
      if (c == 0xD7) continue;
      unroll::utf8::append(upper, c);
      unroll::utf8::append(lower, c + 0x20);
    }
    REQUIRE(words_of(upper) == Words{lower});
    REQUIRE(words_of("\xC3\x9F\xC3\xBF") == Words{"\xC3\x9F\xC3\xBF"});  // ßÿ unchanged
  }
  SECTION("Latin Extended-A and Additional") {
    REQUIRE(words_of("\xC5\x81\xC3\x93"
                     "D\xC5\xB9") == Words{"\xC5\x82\xC3\xB3"
                                           "d\xC5\xBA"});        // ŁÓDŹ → łódź
    REQUIRE(words_of("\xC5\x92UVRE") == Words{"\xC5\x93uvre"});  // ŒUVRE → œuvre
    REQUIRE(words_of("\xC4\x8C"
                     "E\xC5\xA0KY") == Words{"\xC4\x8D"
                                             "e\xC5\xA1ky"});  // ČEŠKY
    REQUIRE(words_of("\xC5\xB8") == Words{"\xC3\xBF"});        // Ÿ → ÿ
    REQUIRE(words_of("\xC4\x9E\xC4\xB0") == Words{"\xC4\x9F"
                                                  "i"});  // Ğİ → ği
    REQUIRE(words_of("\xC4\xB1") == Words{"\xC4\xB1"});   // ı stays
    REQUIRE(words_of("\xC8\x98"
                     "\xC8\x9A") == Words{"\xC8\x99\xC8\x9B"});                    // ȘȚ → șț
    REQUIRE(words_of("\xC4\x90\xE1\xBA\xA0I") == Words{"\xC4\x91\xE1\xBA\xA1i"});  // ĐẠI → đại
  }
  SECTION("lowercasing may shorten the token; the span still covers the original bytes") {
    const std::string text = "in \xC4\xB0stanbul and \xE1\xBA\x9E!";  // İstanbul, ẞ
    const std::vector<Token> tokens = tokenize(text);
    REQUIRE(words_of(text) == Words{"in", "istanbul", "and", "\xC3\x9F"});
    REQUIRE(spans_of(text) == Words{"in", "\xC4\xB0stanbul", "and", "\xE1\xBA\x9E"});
    REQUIRE(tokens[1].text.size() == 8);
    REQUIRE(tokens[1].end - tokens[1].begin == 9);
    REQUIRE(tokens[3].text.size() == 2);
    REQUIRE(tokens[3].end - tokens[3].begin == 3);
    check_invariants(text, tokens);
  }
  SECTION("Greek and Cyrillic") {
    // ΚΑΛΗΜΈΡΑ Άλφα → καλημέρα άλφα; ΠΡИВЕТ Ёлка → привет ёлка
    REQUIRE(words_of("\xCE\x9A\xCE\x91\xCE\x9B\xCE\x97\xCE\x9C\xCE\x88\xCE\xA1\xCE\x91 "
                     "\xCE\x86\xCE\xBB\xCF\x86\xCE\xB1") ==
            Words{"\xCE\xBA\xCE\xB1\xCE\xBB\xCE\xB7\xCE\xBC\xCE\xAD\xCF\x81\xCE\xB1",
                  "\xCE\xAC\xCE\xBB\xCF\x86\xCE\xB1"});
    REQUIRE(
        words_of(
            "\xD0\x9F\xD0\xA0\xD0\x98\xD0\x92\xD0\x95\xD0\xA2 \xD0\x81\xD0\xBB\xD0\xBA\xD0\xB0") ==
        Words{"\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82",
              "\xD1\x91\xD0\xBB\xD0\xBA\xD0\xB0"});
    REQUIRE(words_of("\xD0\x87\xD0\x86") == Words{"\xD1\x97\xD1\x96"});  // ЇІ → її
    REQUIRE(words_of("\xD2\x90") == Words{"\xD2\x91"});                  // Ґ → ґ
    REQUIRE(words_of("\xCE\xA3") == Words{"\xCF\x83"});  // Σ → σ (no final form)
  }
  SECTION("scripts without case are kept as they are") {
    const std::string text =
        "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4 "
        "\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\x82\xE0\xA4\xA6\xE0\xA5\x80";
    // 日本語 한국어 हिंदी (with Devanagari vowel signs, which are combining marks)
    REQUIRE(words_of(text).size() == 3);
    REQUIRE(spans_of(text) == words_of(text));
  }
  SECTION("fullwidth Latin") {
    // ＨＥＬＬＯ！ｗｏｒｌｄ → ｈｅｌｌｏ ｗｏｒｌｄ
    REQUIRE(words_of("\xEF\xBC\xA8\xEF\xBC\xA5\xEF\xBC\xAC\xEF\xBC\xAC\xEF\xBC\xAF\xEF\xBC\x81"
                     "\xEF\xBD\x97\xEF\xBD\x8F\xEF\xBD\x92\xEF\xBD\x8C\xEF\xBD\x84") ==
            Words{"\xEF\xBD\x88\xEF\xBD\x85\xEF\xBD\x8C\xEF\xBD\x8C\xEF\xBD\x8F",
                  "\xEF\xBD\x97\xEF\xBD\x8F\xEF\xBD\x92\xEF\xBD\x8C\xEF\xBD\x84"});
  }
}

TEST_CASE("tokenize keeps combining marks inside words", "[tokenizer]") {
  const std::string text = "cafe\xCC\x81 noir";  // e + U+0301 COMBINING ACUTE ACCENT
  const std::vector<Token> tokens = tokenize(text);
  REQUIRE(words_of(text) == Words{"cafe\xCC\x81", "noir"});
  REQUIRE(tokens[0].end == 6);  // the accent is part of the span
  REQUIRE(words_of("E\xCC\x81T\xCC\x88"
                   "E") == Words{"e\xCC\x81t\xCC\x88"
                                 "e"});
  REQUIRE(words_of("a\xCD\xAF"
                   "b") == Words{"a\xCD\xAF"
                                 "b"});  // U+036F, end of the block
  check_invariants(text, tokens);
}

TEST_CASE("tokenize separates words at emoji and symbols", "[tokenizer]") {
  REQUIRE(words_of("great\xF0\x9F\x98\x80movie") == Words{"great", "movie"});  // 😀
  REQUIRE(words_of("love\xE2\x9D\xA4\xEF\xB8\x8Fit") == Words{"love", "it"});  // ❤️ (+VS16)
  REQUIRE(words_of("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBDnice") == Words{"nice"});  // 👍🏽
  REQUIRE(words_of("a\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"
                   "b") == Words{"a", "b"});  // 👨‍👩‍👧 (ZWJ)
  REQUIRE(words_of("\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7ok") == Words{"ok"});  // 🇫🇷
  REQUIRE(words_of("5\xE2\x98\x85stars") == Words{"5", "stars"});          // ★
  REQUIRE(words_of("go\xE2\x86\x92now") == Words{"go", "now"});            // →
  REQUIRE(words_of("x\xF0\x9F\xAB\xA0y") == Words{"x", "y"});              // 🫠 U+1FAE0

  const std::string text =
      "best\xF0\x9F\x8E\xAC"
      "film";  // 🎬
  const std::vector<Token> tokens = tokenize(text);
  REQUIRE(tokens.size() == 2);
  REQUIRE(tokens[1].begin == 8);
  REQUIRE(tokens[1].end == 12);
  check_invariants(text, tokens);
}

TEST_CASE("tokenize separates words at Unicode punctuation and spaces", "[tokenizer]") {
  REQUIRE(words_of("\xE2\x80\x9Cquoted\xE2\x80\x9D") == Words{"quoted"});           // “quoted”
  REQUIRE(words_of("good\xE2\x80\x94very good") == Words{"good", "very", "good"});  // em dash
  REQUIRE(words_of("wait\xE2\x80\xA6what") == Words{"wait", "what"});               // …
  REQUIRE(words_of("a\xC2\xA0"
                   "b") == Words{"a", "b"});  // NBSP
  REQUIRE(words_of("a\xE2\x80\x8B"
                   "b") == Words{"a", "b"});  // zero width space
  REQUIRE(words_of("\xC2\xAB"
                   "bonjour\xC2\xBB") == Words{"bonjour"});  // «bonjour»
  REQUIRE(words_of("\xC2\xBF"
                   "Qu\xC3\xA9?") == Words{"qu\xC3\xA9"});  // ¿Qué?
  REQUIRE(words_of("3\xC3\x97"
                   "4\xC3\xB7"
                   "2") == Words{"3", "4", "2"});  // 3×4÷2
  REQUIRE(words_of("a\xC2\xB7"
                   "b") == Words{"a", "b"});  // ·
  REQUIRE(words_of("10\xE2\x82\xAC"
                   "each") == Words{"10", "each"});          // €
  REQUIRE(words_of("Brand\xE2\x84\xA2") == Words{"brand"});  // ™
  // 日本。東京、「大阪」
  REQUIRE(
      words_of("\xE6\x97\xA5\xE6\x9C\xAC\xE3\x80\x82\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x80\x81"
               "\xE3\x80\x8C\xE5\xA4\xA7\xE9\x98\xAA\xE3\x80\x8D") ==
      Words{"\xE6\x97\xA5\xE6\x9C\xAC", "\xE6\x9D\xB1\xE4\xBA\xAC", "\xE5\xA4\xA7\xE9\x98\xAA"});
  REQUIRE(words_of("a\xE3\x80\x80"
                   "b") == Words{"a", "b"});  // ideographic space
  // 人々: the iteration mark is a letter although it sits in the CJK punctuation block.
  REQUIRE(words_of("\xE4\xBA\xBA\xE3\x80\x85") == Words{"\xE4\xBA\xBA\xE3\x80\x85"});
  REQUIRE(words_of("a\xEF\xBC\x8C"
                   "b") == Words{"a", "b"});  // fullwidth comma
  REQUIRE(words_of("a\xEF\xBB\xBF"
                   "b") == Words{"a", "b"});  // BOM
  REQUIRE(words_of("\xEF\xBB\xBFStart") == Words{"start"});
  REQUIRE(words_of("a\xEF\xBF\xBD"
                   "b") == Words{"a", "b"});  // U+FFFD
}

TEST_CASE("tokenize classifies the code points at the edges of separator blocks", "[tokenizer]") {
  const auto encode = [](char32_t c) {
    std::string s;
    unroll::utf8::append(s, c);
    return s;
  };
  const auto splits = [&](char32_t c) { return words_of("a" + encode(c) + "b").size() == 2; };
  // Separators.
  for (char32_t c :
       {0x7FU,   0x80U,   0x9FU,   0xA0U,    0xBFU,    0xD7U,    0xF7U,   0x2000U, 0x200DU,
        0x2018U, 0x201CU, 0x206FU, 0x2190U,  0x2BFFU,  0x3000U,  0x3001U, 0x303FU, 0xFE00U,
        0xFE0FU, 0xFF01U, 0xFF0FU, 0x1F000U, 0x1F600U, 0x1FAFFU, 0xE0001U}) {
    INFO("U+" << std::hex << static_cast<unsigned>(c));
    REQUIRE(splits(c));
  }
  // Word characters just outside those blocks, and combining marks.
  for (char32_t c : {0xC0U, 0xD8U, 0xF8U, 0x1FFFU, 0x2070U, 0x2C00U, 0x3005U, 0x3041U, 0xFE20U,
                     0xFF10U, 0xFF21U, 0x1FC00U, 0x20000U, 0x0300U, 0x036FU}) {
    INFO("U+" << std::hex << static_cast<unsigned>(c));
    REQUIRE_FALSE(splits(c));
  }
}

TEST_CASE("tokenize treats invalid UTF-8 bytes as separators", "[tokenizer]") {
  SECTION("lone continuation bytes") {
    const std::string text =
        "ab\x80"
        "cd\xBF\xBF"
        "ef";
    REQUIRE(words_of(text) == Words{"ab", "cd", "ef"});
    REQUIRE(spans_of(text) == Words{"ab", "cd", "ef"});
    REQUIRE(words_of("\x80\x80\x80") == Words{});
  }
  SECTION("0xFF, 0xFE, 0xF5 and 0xC0/0xC1 never start a character") {
    REQUIRE(words_of("ok\xFF"
                     "go") == Words{"ok", "go"});
    REQUIRE(words_of("\xFE\xFF"
                     "bom") == Words{"bom"});
    REQUIRE(words_of("x\xF5\x80\x80\x80y") == Words{"x", "y"});
  }
  SECTION("overlong encodings are not decoded") {
    // C1 81 would be an overlong 'A': it must not become the letter a inside the word.
    REQUIRE(words_of("x\xC1\x81y") == Words{"x", "y"});
    REQUIRE(words_of("a\xC0\xAF"
                     "b") == Words{"a", "b"});  // overlong '/'
    REQUIRE(words_of("a\xE0\x80\xAF"
                     "b") == Words{"a", "b"});  // 3-byte overlong
    REQUIRE(words_of("a\xF0\x80\x80\xAF"
                     "b") == Words{"a", "b"});  // 4-byte overlong
    REQUIRE(words_of("a\xE0\x81\x81"
                     "b") == Words{"a", "b"});  // overlong 'A'
  }
  SECTION("surrogates and code points above U+10FFFF") {
    REQUIRE(words_of("a\xED\xA0\x80"
                     "b") == Words{"a", "b"});  // U+D800
    REQUIRE(words_of("a\xED\xBF\xBF"
                     "b") == Words{"a", "b"});  // U+DFFF
    REQUIRE(words_of("a\xF4\x90\x80\x80"
                     "b") == Words{"a", "b"});  // U+110000
    REQUIRE(words_of("a\xED\x9F\xBF"
                     "b")
                .size() == 1);  // U+D7FF is a letter
  }
  SECTION("a multi-byte sequence interrupted by an ASCII byte") {
    // The ASCII byte is read as itself: only the broken lead byte is dropped.
    REQUIRE(words_of("a\xC3"
                     "b") == Words{"a", "b"});
    REQUIRE(words_of("a\xE4\xB8"
                     "b") == Words{"a", "b"});
    REQUIRE(words_of("\xE4"
                     "don't") == Words{"don't"});
    REQUIRE(spans_of("\xE4"
                     "don't") == Words{"don't"});
  }
  SECTION("a sequence cut short by the end of the input") {
    REQUIRE(words_of("abc\xC3") == Words{"abc"});
    REQUIRE(words_of("abc\xE4\xB8") == Words{"abc"});
    REQUIRE(words_of("abc\xF0\x9F\x98") == Words{"abc"});
    REQUIRE(words_of("\xF0") == Words{});
    // The view ends inside é while the buffer goes on: the byte after the end must not be read.
    const std::string buffer = "abc\xC3\xA9";
    REQUIRE(words_of(std::string_view(buffer.data(), 4)) == Words{"abc"});
    REQUIRE(words_of(std::string_view(buffer.data(), 5)) == Words{"abc\xC3\xA9"});
    // An exactly sized heap block, so AddressSanitizer flags any read past the end.
    for (const char* tail : {"\xC3", "\xE4\xB8", "\xF0\x9F\x98", "\xE2\x80", "<br"}) {
      const std::string text = std::string("word ") + tail;
      std::unique_ptr<char[]> exact(new char[text.size()]);
      std::memcpy(exact.get(), text.data(), text.size());
      const std::string_view view(exact.get(), text.size());
      const std::vector<Token> tokens = tokenize(view);
      REQUIRE_FALSE(tokens.empty());
      REQUIRE(tokens[0].text == "word");
      check_invariants(view, tokens);
    }
  }
  SECTION("invalid bytes mixed with valid multi-byte characters keep correct spans") {
    const std::string text =
        "\xC3\xA9t\xC3\xA9\x80\xE4\xB8\xAD\xFF"
        "\xC3\x89T\xC3\x89";
    // été, stray 0x80, 中, 0xFF, ÉTÉ
    REQUIRE(words_of(text) == Words{"\xC3\xA9t\xC3\xA9", "\xE4\xB8\xAD", "\xC3\xA9t\xC3\xA9"});
    REQUIRE(spans_of(text) == Words{"\xC3\xA9t\xC3\xA9", "\xE4\xB8\xAD", "\xC3\x89T\xC3\x89"});
  }
}

TEST_CASE("tokenize treats NUL and control characters as separators", "[tokenizer]") {
  const std::string text("a\0b\0\0c", 6);
  REQUIRE(text.size() == 6);
  REQUIRE(words_of(text) == Words{"a", "b", "c"});
  const std::vector<Token> tokens = tokenize(text);
  REQUIRE(tokens[2].begin == 5);
  REQUIRE(words_of(std::string("\0", 1)) == Words{});
  REQUIRE(words_of("x\x01y\x1Fz\x7F"
                   "w") == Words{"x", "y", "z", "w"});
}

TEST_CASE("tokenize survives arbitrary bytes", "[tokenizer]") {
  // Random bytes biased towards the interesting ones: UTF-8 lead/continuation bytes, '<', '>',
  // apostrophes and letters.
  const unsigned char alphabet[] = {'a',  'Z',  '7',  '\'', '<',  '>',  '/',  ' ',
                                    0x00, 0x80, 0xBF, 0xC3, 0xA9, 0xC0, 0xE2, 0x80,
                                    0x99, 0xE4, 0xF0, 0x9F, 0xF4, 0xFF, 0xED, 0xA0};
  std::mt19937 random(12345);
  std::uniform_int_distribution<std::size_t> pick(0, sizeof(alphabet) - 1);
  std::uniform_int_distribution<int> any_byte(0, 255);
  for (int round = 0; round < 200; ++round) {
    std::string text(1 + round * 5, '\0');
    for (char& c : text) {
      c = static_cast<char>(round % 2 ? alphabet[pick(random)] : any_byte(random));
    }
    std::unique_ptr<char[]> exact(new char[text.size()]);
    std::memcpy(exact.get(), text.data(), text.size());
    const std::string_view view(exact.get(), text.size());
    const std::vector<Token> tokens = tokenize(view);
    check_invariants(view, tokens);
    // Deterministic.
    const std::vector<Token> again = tokenize(view);
    REQUIRE(again.size() == tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      REQUIRE(again[i].text == tokens[i].text);
      REQUIRE(again[i].begin == tokens[i].begin);
    }
  }
}

TEST_CASE("tokenize spans of ASCII text are the lowercased token", "[tokenizer]") {
  const std::string text =
      "It's a 10/10 film, isn't it?<br /><br />'Yes' said O'Brien -- rock'n'roll <3 <b>Bold</b>";
  for (const Token& token : tokenize(text)) {
    std::string span = text.substr(token.begin, token.end - token.begin);
    for (char& c : span) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    REQUIRE(span == token.text);
  }
  REQUIRE(words_of(text) == Words{"it's", "a", "10", "10", "film", "isn't", "it", "yes", "said",
                                  "o'brien", "rock'n'roll", "3", "bold"});
}

TEST_CASE("tokenize is linear on a 1 MB review", "[tokenizer]") {
  const std::string sentence = "This movie was GREAT<br /><br />I don't know, \xC3\xA9t\xC3\xA9? ";
  std::string text;
  while (text.size() < (1u << 20)) text += sentence;
  const std::size_t repeats = text.size() / sentence.size();
  std::size_t count = 0;
  const double seconds = seconds_to_tokenize(text, &count);
  REQUIRE(count == repeats * 8);
  CHECK(seconds < kLargeInputSeconds);
  const std::vector<Token> tokens = tokenize(text);
  REQUIRE(tokens[8].text == "this");
  REQUIRE(tokens[8].begin == sentence.size());
  REQUIRE(tokens.back().text == "\xC3\xA9t\xC3\xA9");
}

TEST_CASE("tokenize is linear on 10 MB of '<'", "[tokenizer]") {
  constexpr std::size_t kSize = 10u << 20;
  std::size_t count = 0;
  SECTION("only '<'") {
    const std::string text(kSize, '<');
    const double seconds = seconds_to_tokenize(text, &count);
    REQUIRE(count == 0);
    CHECK(seconds < kLargeInputSeconds);
  }
  SECTION("tag openings and no '>' at all") {
    // Every "</" starts a tag; a scan for '>' from each would be quadratic.
    std::string text;
    text.reserve(kSize);
    while (text.size() < kSize) text += "</";
    const double seconds = seconds_to_tokenize(text, &count);
    REQUIRE(count == 0);
    CHECK(seconds < kLargeInputSeconds);
  }
  SECTION("tag openings with words, then one '>' at the very end") {
    std::string text;
    text.reserve(kSize + 8);
    while (text.size() < kSize) text += "<i x ";
    text += "> end";
    const double seconds = seconds_to_tokenize(text, &count);
    REQUIRE(count == 1);  // everything up to the '>' is one tag
    CHECK(seconds < kLargeInputSeconds);
  }
  SECTION("'>' before many unclosed tags") {
    // 1 MB only: every "<b" yields a token, and half a million small strings are enough.
    constexpr std::size_t kSmaller = 1u << 20;
    std::string text = "a>b ";
    text.reserve(kSmaller + 8);
    while (text.size() < kSmaller) text += "<b";
    const double seconds = seconds_to_tokenize(text, &count);
    REQUIRE(count == 2 + (kSmaller - 4) / 2);  // a, b, then "b" after every '<'
    CHECK(seconds < kLargeInputSeconds);
  }
  SECTION("many closed tags") {
    std::string text;
    text.reserve(kSize + 8);
    while (text.size() < kSize) text += "<br />";
    const double seconds = seconds_to_tokenize(text, &count);
    REQUIRE(count == 0);
    CHECK(seconds < kLargeInputSeconds);
  }
}
