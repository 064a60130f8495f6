// make_sequence must reproduce what the network was trained on (keras.datasets.imdb followed by
// pad_sequences) exactly, and its bookkeeping must let the UI map every step back to a word.

#include "text/sequence.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "text/tokenizer.h"
#include "text/vocabulary.h"

namespace {

using unroll::make_sequence;
using unroll::Sequence;
using unroll::SequenceOptions;
using unroll::Side;
using Ids = std::vector<int>;

SequenceOptions options(int maxlen, Side padding, Side truncating, bool start_token) {
  SequenceOptions result;
  result.maxlen = maxlen;
  result.padding = padding;
  result.truncating = truncating;
  result.start_token = start_token;
  return result;
}

// keras.preprocessing.sequence.pad_sequences for one sequence, transcribed literally.
Ids keras_pad_sequences(const Ids& sequence, int maxlen, Side padding, Side truncating) {
  if (maxlen <= 0) return sequence;  // maxlen=None: the longest (here, the only) sequence
  const std::size_t length = static_cast<std::size_t>(maxlen);
  Ids result(length, 0);
  if (sequence.empty()) return result;
  Ids trunc;
  if (truncating == Side::Pre) {  // s[-maxlen:]
    trunc.assign(sequence.end() - static_cast<long>(std::min(length, sequence.size())),
                 sequence.end());
  } else {  // s[:maxlen]
    trunc.assign(sequence.begin(),
                 sequence.begin() + static_cast<long>(std::min(length, sequence.size())));
  }
  if (padding == Side::Post) {  // x[:len(trunc)] = trunc
    std::copy(trunc.begin(), trunc.end(), result.begin());
  } else {  // x[-len(trunc):] = trunc
    std::copy(trunc.begin(), trunc.end(), result.end() - static_cast<long>(trunc.size()));
  }
  return result;
}

// The bookkeeping agrees with the ids, whatever the options.
void check_consistent(const Ids& word_ids, const SequenceOptions& opts, const Sequence& s) {
  REQUIRE(s.token_index.size() == s.ids.size());
  REQUIRE(s.position.size() == word_ids.size());
  int kept = 0, padding = 0, starts = 0;
  for (std::size_t step = 0; step < s.ids.size(); ++step) {
    const int token = s.token_index[step];
    if (token >= 0) {
      REQUIRE(static_cast<std::size_t>(token) < word_ids.size());
      REQUIRE(s.ids[step] == word_ids[static_cast<std::size_t>(token)]);
      REQUIRE(s.position[static_cast<std::size_t>(token)] == static_cast<int>(step));
      ++kept;
    } else if (s.ids[step] == unroll::Vocabulary::kStart && opts.start_token) {
      ++starts;
    } else {
      REQUIRE(s.ids[step] == unroll::Vocabulary::kPadding);
      ++padding;
    }
  }
  for (std::size_t token = 0; token < word_ids.size(); ++token) {
    const int step = s.position[token];
    if (step >= 0)
      REQUIRE(s.token_index[static_cast<std::size_t>(step)] == static_cast<int>(token));
  }
  REQUIRE(kept == s.kept_tokens);
  REQUIRE(padding == s.padding);
  REQUIRE(starts == (s.start_kept ? 1 : 0));
  // Kept tokens are contiguous and in order.
  int previous = -1;
  for (const int step : s.position) {
    if (step < 0) continue;
    REQUIRE(step > previous);
    previous = step;
  }
}

const Ids kShort = {10, 11, 12};
const Ids kLong = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19};

}  // namespace

TEST_CASE("Side names", "[sequence]") {
  REQUIRE(std::string(unroll::to_string(Side::Pre)) == "pre");
  REQUIRE(std::string(unroll::to_string(Side::Post)) == "post");
  REQUIRE(unroll::parse_side("pre").value() == Side::Pre);
  REQUIRE(unroll::parse_side("post").value() == Side::Post);
  for (const char* bad : {"", "PRE", "Post", "middle", "pre ", " post"}) {
    const auto result = unroll::parse_side(bad);
    REQUIRE_FALSE(result.ok());
    REQUIRE_THAT(result.error(), Catch::Contains("\"pre\" or \"post\"") &&
                                     Catch::Contains("\"" + std::string(bad) + "\""));
  }
}

TEST_CASE("SequenceOptions defaults are Keras'", "[sequence]") {
  const SequenceOptions defaults;
  REQUIRE(defaults.maxlen == 80);
  REQUIRE(defaults.padding == Side::Pre);
  REQUIRE(defaults.truncating == Side::Pre);
  REQUIRE(defaults.start_token);
}

TEST_CASE("make_sequence pads short reviews", "[sequence]") {
  for (const Side truncating : {Side::Pre, Side::Post}) {
    INFO("truncating " << unroll::to_string(truncating));
    SECTION("pre padding with start token") {
      const Sequence s = make_sequence(kShort, options(6, Side::Pre, truncating, true));
      REQUIRE(s.ids == Ids{0, 0, 1, 10, 11, 12});
      REQUIRE(s.token_index == Ids{-1, -1, -1, 0, 1, 2});
      REQUIRE(s.position == Ids{3, 4, 5});
      REQUIRE(s.kept_tokens == 3);
      REQUIRE(s.padding == 2);
      REQUIRE(s.start_kept);
    }
    SECTION("post padding with start token") {
      const Sequence s = make_sequence(kShort, options(6, Side::Post, truncating, true));
      REQUIRE(s.ids == Ids{1, 10, 11, 12, 0, 0});
      REQUIRE(s.token_index == Ids{-1, 0, 1, 2, -1, -1});
      REQUIRE(s.position == Ids{1, 2, 3});
      REQUIRE(s.kept_tokens == 3);
      REQUIRE(s.padding == 2);
      REQUIRE(s.start_kept);
    }
    SECTION("pre padding without start token") {
      const Sequence s = make_sequence(kShort, options(6, Side::Pre, truncating, false));
      REQUIRE(s.ids == Ids{0, 0, 0, 10, 11, 12});
      REQUIRE(s.token_index == Ids{-1, -1, -1, 0, 1, 2});
      REQUIRE(s.position == Ids{3, 4, 5});
      REQUIRE(s.padding == 3);
      REQUIRE_FALSE(s.start_kept);
    }
    SECTION("post padding without start token") {
      const Sequence s = make_sequence(kShort, options(6, Side::Post, truncating, false));
      REQUIRE(s.ids == Ids{10, 11, 12, 0, 0, 0});
      REQUIRE(s.token_index == Ids{0, 1, 2, -1, -1, -1});
      REQUIRE(s.position == Ids{0, 1, 2});
      REQUIRE(s.padding == 3);
      REQUIRE_FALSE(s.start_kept);
    }
  }
}

TEST_CASE("make_sequence truncates long reviews", "[sequence]") {
  for (const Side padding : {Side::Pre, Side::Post}) {
    INFO("padding " << unroll::to_string(padding));
    SECTION("pre truncation keeps the last ids and loses the start token") {
      const Sequence s = make_sequence(kLong, options(4, padding, Side::Pre, true));
      REQUIRE(s.ids == Ids{16, 17, 18, 19});
      REQUIRE(s.token_index == Ids{6, 7, 8, 9});
      REQUIRE(s.position == Ids{-1, -1, -1, -1, -1, -1, 0, 1, 2, 3});
      REQUIRE(s.kept_tokens == 4);
      REQUIRE(s.padding == 0);
      REQUIRE_FALSE(s.start_kept);
    }
    SECTION("post truncation keeps the start token and the first ids") {
      const Sequence s = make_sequence(kLong, options(4, padding, Side::Post, true));
      REQUIRE(s.ids == Ids{1, 10, 11, 12});
      REQUIRE(s.token_index == Ids{-1, 0, 1, 2});
      REQUIRE(s.position == Ids{1, 2, 3, -1, -1, -1, -1, -1, -1, -1});
      REQUIRE(s.kept_tokens == 3);
      REQUIRE(s.padding == 0);
      REQUIRE(s.start_kept);
    }
    SECTION("pre truncation without start token") {
      const Sequence s = make_sequence(kLong, options(4, padding, Side::Pre, false));
      REQUIRE(s.ids == Ids{16, 17, 18, 19});
      REQUIRE(s.kept_tokens == 4);
      REQUIRE_FALSE(s.start_kept);
    }
    SECTION("post truncation without start token") {
      const Sequence s = make_sequence(kLong, options(4, padding, Side::Post, false));
      REQUIRE(s.ids == Ids{10, 11, 12, 13});
      REQUIRE(s.token_index == Ids{0, 1, 2, 3});
      REQUIRE(s.position == Ids{0, 1, 2, 3, -1, -1, -1, -1, -1, -1});
      REQUIRE(s.kept_tokens == 4);
      REQUIRE_FALSE(s.start_kept);
    }
  }
}

TEST_CASE("make_sequence at the exact length", "[sequence]") {
  // With the start token, maxlen - 1 words fill the window exactly: nothing cut, no padding.
  const Sequence fits = make_sequence(kShort, options(4, Side::Pre, Side::Pre, true));
  REQUIRE(fits.ids == Ids{1, 10, 11, 12});
  REQUIRE(fits.padding == 0);
  REQUIRE(fits.start_kept);
  // One more word and truncating "pre" drops the start token first.
  const Sequence over = make_sequence({10, 11, 12, 13}, options(4, Side::Pre, Side::Pre, true));
  REQUIRE(over.ids == Ids{10, 11, 12, 13});
  REQUIRE(over.kept_tokens == 4);
  REQUIRE_FALSE(over.start_kept);
  const Sequence over_post =
      make_sequence({10, 11, 12, 13}, options(4, Side::Pre, Side::Post, true));
  REQUIRE(over_post.ids == Ids{1, 10, 11, 12});
  REQUIRE(over_post.position == Ids{1, 2, 3, -1});
}

TEST_CASE("make_sequence with maxlen 0 neither pads nor truncates", "[sequence]") {
  for (const Side padding : {Side::Pre, Side::Post}) {
    for (const Side truncating : {Side::Pre, Side::Post}) {
      const Sequence with_start = make_sequence(kLong, options(0, padding, truncating, true));
      REQUIRE(with_start.ids == Ids{1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19});
      REQUIRE(with_start.token_index == Ids{-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
      REQUIRE(with_start.position == Ids{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
      REQUIRE(with_start.kept_tokens == 10);
      REQUIRE(with_start.padding == 0);
      REQUIRE(with_start.start_kept);

      const Sequence without = make_sequence(kShort, options(0, padding, truncating, false));
      REQUIRE(without.ids == kShort);
      REQUIRE(without.token_index == Ids{0, 1, 2});
      REQUIRE_FALSE(without.start_kept);

      REQUIRE(make_sequence(Ids{}, options(0, padding, truncating, false)).ids.empty());
      REQUIRE(make_sequence(Ids{}, options(0, padding, truncating, true)).ids == Ids{1});
      // A negative maxlen means the same as 0.
      REQUIRE(make_sequence(kShort, options(-3, padding, truncating, true)).ids ==
              Ids{1, 10, 11, 12});
    }
  }
}

TEST_CASE("make_sequence of an empty review", "[sequence]") {
  const Sequence pre = make_sequence(Ids{}, options(3, Side::Pre, Side::Pre, true));
  REQUIRE(pre.ids == Ids{0, 0, 1});
  REQUIRE(pre.token_index == Ids{-1, -1, -1});
  REQUIRE(pre.position.empty());
  REQUIRE(pre.padding == 2);
  REQUIRE(pre.kept_tokens == 0);
  REQUIRE(pre.start_kept);
  REQUIRE(make_sequence(Ids{}, options(3, Side::Post, Side::Pre, true)).ids == Ids{1, 0, 0});
  const Sequence no_start = make_sequence(Ids{}, options(3, Side::Post, Side::Post, false));
  REQUIRE(no_start.ids == Ids{0, 0, 0});
  REQUIRE(no_start.padding == 3);
}

TEST_CASE("make_sequence with maxlen 1", "[sequence]") {
  const Sequence post = make_sequence(kShort, options(1, Side::Pre, Side::Post, true));
  REQUIRE(post.ids == Ids{1});
  REQUIRE(post.kept_tokens == 0);
  REQUIRE(post.start_kept);
  REQUIRE(post.position == Ids{-1, -1, -1});
  const Sequence pre = make_sequence(kShort, options(1, Side::Pre, Side::Pre, true));
  REQUIRE(pre.ids == Ids{12});
  REQUIRE(pre.position == Ids{-1, -1, 0});
  REQUIRE_FALSE(pre.start_kept);
}

TEST_CASE("make_sequence matches Keras pad_sequences on random reviews", "[sequence]") {
  std::mt19937 random(2024);
  std::uniform_int_distribution<int> length(0, 25);
  std::uniform_int_distribution<int> maxlen(0, 20);
  std::uniform_int_distribution<int> id(2, 999);
  for (int round = 0; round < 500; ++round) {
    Ids word_ids(static_cast<std::size_t>(length(random)));
    for (int& value : word_ids) value = id(random);
    const SequenceOptions opts = options(maxlen(random), round % 2 ? Side::Pre : Side::Post,
                                         (round / 2) % 2 ? Side::Pre : Side::Post, round % 4 < 2);
    Ids full = word_ids;
    if (opts.start_token) full.insert(full.begin(), unroll::Vocabulary::kStart);
    const Sequence s = make_sequence(word_ids, opts);
    INFO("round " << round << ", length " << word_ids.size() << ", maxlen " << opts.maxlen);
    REQUIRE(s.ids == keras_pad_sequences(full, opts.maxlen, opts.padding, opts.truncating));
    check_consistent(word_ids, opts, s);
  }
}

TEST_CASE("make_sequence from tokens looks words up in the vocabulary", "[sequence]") {
  const auto vocabulary = unroll::Vocabulary::from_words({"the", "great", "movie", "don't"});
  REQUIRE(vocabulary.ok());
  const std::vector<unroll::Token> tokens =
      unroll::tokenize("The movie was GREAT<br /><br />Don\xE2\x80\x99t miss it");
  // the movie was great don't miss it
  REQUIRE(tokens.size() == 7);

  const Sequence s =
      make_sequence(tokens, vocabulary.value(), options(10, Side::Pre, Side::Pre, true));
  REQUIRE(s.ids == Ids{0, 0, 1, 3, 5, 2, 4, 6, 2, 2});
  REQUIRE(s.token_index == Ids{-1, -1, -1, 0, 1, 2, 3, 4, 5, 6});
  REQUIRE(s.position == Ids{3, 4, 5, 6, 7, 8, 9});
  REQUIRE(s.kept_tokens == 7);
  REQUIRE(s.padding == 2);
  REQUIRE(s.start_kept);

  // The default window keeps the end of a long review: the UI relies on position to grey out the
  // words that were cut.
  std::string long_review;
  for (int i = 0; i < 100; ++i) long_review += "great movie ";
  long_review += "the end";
  const std::vector<unroll::Token> long_tokens = unroll::tokenize(long_review);
  const Sequence window = make_sequence(long_tokens, vocabulary.value(), SequenceOptions{});
  REQUIRE(window.ids.size() == 80);
  REQUIRE(window.ids.back() == 2);  // "end" is unknown
  REQUIRE(window.ids[78] == 3);     // "the"
  REQUIRE(window.token_index.back() == static_cast<int>(long_tokens.size()) - 1);
  REQUIRE(window.position.front() == -1);
  REQUIRE(window.kept_tokens == 80);
  REQUIRE_FALSE(window.start_kept);
  Ids word_ids;
  for (const auto& token : long_tokens) word_ids.push_back(vocabulary.value().id(token.text));
  check_consistent(word_ids, SequenceOptions{}, window);
  REQUIRE(window.ids == make_sequence(word_ids, SequenceOptions{}).ids);
}
