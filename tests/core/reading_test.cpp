// read_review (core/text/reading) against its definition: tokenize() + make_sequence() over every
// word, for every combination of the sequence options, with only the words near the window kept.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "text/reading.h"

using namespace unroll;

namespace {

Vocabulary make_vocabulary() {
  std::vector<std::string> words;
  for (int i = 0; i < 6; ++i) words.push_back("w" + std::to_string(i));  // w6.. are unknown
  return Vocabulary::from_words(words).value();
}

/** "w0 w7 w2 ..." with `n` words, a mix of known and unknown, with markup between some. */
std::string review(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) text += (i % 3 ? " w" : " <b>w") + std::to_string((i * 7) % 9);
  return text;
}

}  // namespace

TEST_CASE("for_each_token hands over the same tokens as tokenize", "[reading]") {
  for (const std::string text : {std::string(""), std::string("Don’t <i>stop</i>, students' café 中文😀x"),
                                 review(40)}) {
    std::vector<Token> streamed;
    for_each_token(text, [&](const Token& token) { streamed.push_back(token); });
    const std::vector<Token> collected = tokenize(text);
    REQUIRE(streamed.size() == collected.size());
    for (std::size_t i = 0; i < streamed.size(); ++i) {
      CHECK(streamed[i].text == collected[i].text);
      CHECK(streamed[i].begin == collected[i].begin);
      CHECK(streamed[i].end == collected[i].end);
    }
  }
}

TEST_CASE("read_review builds make_sequence's ids and keeps the window plus context", "[reading]") {
  const Vocabulary vocabulary = make_vocabulary();
  for (int maxlen : {0, 1, 3, 5, 8}) {
    for (Side padding : {Side::Pre, Side::Post}) {
      for (Side truncating : {Side::Pre, Side::Post}) {
        for (bool start : {true, false}) {
          for (std::size_t context : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{16}, kEveryToken}) {
            for (int n = 0; n <= 13; ++n) {
              const SequenceOptions options{maxlen, padding, truncating, start};
              const std::string text = review(n);
              INFO("maxlen " << maxlen << " padding " << to_string(padding) << " truncating "
                             << to_string(truncating) << " start " << start << " context "
                             << context << " words " << n);
              const std::vector<Token> all = tokenize(text);
              const Sequence full = make_sequence(all, vocabulary, options);
              const Reading reading = read_review(text, vocabulary, options, context);

              CHECK(reading.total_tokens == all.size());
              std::size_t oov = 0;
              for (const Token& token : all) oov += vocabulary.id(token.text) == Vocabulary::kOutOfVocabulary;
              CHECK(reading.oov_tokens == oov);
              CHECK(reading.sequence.ids == full.ids);
              CHECK(reading.sequence.padding == full.padding);
              CHECK(reading.sequence.kept_tokens == full.kept_tokens);
              CHECK(reading.sequence.start_kept == full.start_kept);

              // How many are kept: everything that fits, else the window and the context.
              const std::size_t least = std::max<std::size_t>(context, 1);
              const std::size_t expected =
                  maxlen == 0 || context == kEveryToken
                      ? all.size()
                      : std::min(all.size(), static_cast<std::size_t>(maxlen) + least);
              REQUIRE(reading.tokens.size() == expected);
              REQUIRE(reading.word_ids.size() == expected);
              CHECK(reading.first_token == (truncating == Side::Pre ? all.size() - expected : 0));
              for (std::size_t i = 0; i < reading.tokens.size(); ++i) {
                const Token& token = all[reading.first_token + i];
                CHECK(reading.tokens[i].text == token.text);
                CHECK(reading.tokens[i].begin == token.begin);
                CHECK(reading.tokens[i].end == token.end);
                CHECK(reading.word_ids[i] == vocabulary.id(token.text));
                CHECK(reading.sequence.position[i] == full.position[reading.first_token + i]);
              }
              // Every word of the window is kept, and token_index points at it.
              for (std::size_t t = 0; t < full.ids.size(); ++t) {
                const int global = full.token_index[t];
                const int local = reading.sequence.token_index[t];
                if (global < 0) {
                  CHECK(local == -1);
                } else {
                  CHECK(local == global - static_cast<int>(reading.first_token));
                }
              }
            }
          }
        }
      }
    }
  }
}

TEST_CASE("read_review keeps little for a long review", "[reading]") {
  const Vocabulary vocabulary = make_vocabulary();
  std::string text;
  for (int i = 0; i < 200000; ++i) text += i % 2 ? " w1" : " w9";
  const Reading reading = read_review(text, vocabulary, SequenceOptions{80, Side::Pre, Side::Pre, true}, 16);
  CHECK(reading.total_tokens == 200000);
  CHECK(reading.oov_tokens == 100000);
  CHECK(reading.tokens.size() == 96);
  CHECK(reading.first_token == 200000 - 96);
  CHECK(reading.tokens.back().end == text.size());
  CHECK(reading.sequence.kept_tokens == 80);
}
