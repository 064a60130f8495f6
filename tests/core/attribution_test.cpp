// Leave-one-out effects and top words (core/nn/attribution) against their definitions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "nn/attribution.h"
#include "text/reading.h"
#include "train/initialize.h"

using namespace unroll;

namespace {

Model make_model(CellType cell, bool bidirectional, int maxlen, Side truncating) {
  ModelConfig config;
  config.cell = cell;
  config.vocab_size = 13;
  config.embedding_dim = 3;
  config.units = 4;
  config.layers = 2;
  config.bidirectional = bidirectional;
  config.sequence.maxlen = maxlen;
  config.sequence.truncating = truncating;
  std::vector<std::string> words;
  for (int i = 0; i < 10; ++i) words.push_back("w" + std::to_string(i));
  ModelWeights weights = train::random_weights(config, 11);
  weights.head_bias = 0.1f;
  return std::move(Model::create(config, std::move(weights), Vocabulary::from_words(words).value())).value();
}

}  // namespace

TEST_CASE("leave_one_out over read_review's kept words equals it over all the words", "[attribution]") {
  // The page passes only the words near the window (a 10 MB paste has two million); removing a
  // word of the window may bring its neighbour on the truncated side in, and that one is kept.
  for (Side truncating : {Side::Pre, Side::Post}) {
    for (int n : {3, 8, 9, 10, 25}) {
      Model model = make_model(CellType::Lstm, false, 8, truncating);
      std::string text;
      for (int i = 0; i < n; ++i) text += " w" + std::to_string((i * 7) % 11);  // w10: unknown
      const SequenceOptions& options = model.config().sequence;
      std::vector<int> all;
      for (const Token& token : tokenize(text)) all.push_back(model.vocabulary().id(token.text));
      const std::vector<float> expected = leave_one_out(model, all);
      const Reading reading = read_review(text, model.vocabulary(), options, 1);
      const std::vector<float> effects = leave_one_out(model, reading.word_ids);
      REQUIRE(effects.size() == reading.word_ids.size());
      for (std::size_t i = 0; i < effects.size(); ++i) {
        INFO("truncating " << to_string(truncating) << ", " << n << " words, kept word " << i);
        const float want = expected[reading.first_token + i];
        if (std::isnan(want)) {
          CHECK(std::isnan(effects[i]));
        } else {
          CHECK(effects[i] == Approx(want).margin(1e-6));
        }
      }
    }
  }
}

TEST_CASE("leave_one_out: logit minus the logit without each word, NaN outside the window", "[attribution]") {
  for (CellType cell : {CellType::SimpleRnn, CellType::Lstm, CellType::Gru}) {
    for (Side truncating : {Side::Pre, Side::Post}) {
      Model model = make_model(cell, cell == CellType::Gru, 8, truncating);
      const std::vector<int> words = {3, 7, 2, 12, 5, 5, 9, 4, 11, 6};  // 10 words + start > maxlen 8
      const std::vector<float> effects = leave_one_out(model, words);
      REQUIRE(effects.size() == words.size());
      const Sequence full = make_sequence(words, model.config().sequence);
      const float base = model.logit(full.ids);
      int in_window = 0;
      for (std::size_t i = 0; i < words.size(); ++i) {
        INFO(to_string(cell) << ", truncating " << to_string(truncating) << ", word " << i);
        if (full.position[i] < 0) {
          CHECK(std::isnan(effects[i]));
          continue;
        }
        ++in_window;
        std::vector<int> without = words;
        without.erase(without.begin() + static_cast<long>(i));
        const float expected = base - model.logit(make_sequence(without, model.config().sequence).ids);
        CHECK(effects[i] == Approx(expected).margin(1e-6));
      }
      CHECK(in_window == full.kept_tokens);
    }
  }
}

TEST_CASE("leave_one_out: an empty review has no effects; a one-word review compares with none", "[attribution]") {
  Model model = make_model(CellType::Lstm, false, 5, Side::Pre);
  CHECK(leave_one_out(model, {}).empty());
  const std::vector<float> one = leave_one_out(model, {8});
  REQUIRE(one.size() == 1);
  const float with = model.logit(make_sequence(std::vector<int>{8}, model.config().sequence).ids);
  const float without = model.logit(make_sequence(std::vector<int>{}, model.config().sequence).ids);
  CHECK(one[0] == Approx(with - without).margin(1e-6));
}

TEST_CASE("top_words: extreme entries of a column of embedding · kernel, ties by id", "[attribution]") {
  Model model = make_model(CellType::Gru, true, 8, Side::Pre);
  const ModelWeights& w = model.weights();
  for (int direction = 0; direction < 2; ++direction) {
    for (int unit : {0, 3}) {
      std::vector<WordScore> all;
      for (int id = Vocabulary::kFirstWord; id < model.config().vocab_size; ++id) {
        double v = 0.0;
        for (int e = 0; e < model.config().embedding_dim; ++e) v += double(w.embedding(id, e)) * w.rnn[direction].kernel(e, unit);
        all.push_back({id, static_cast<float>(v)});
      }
      std::sort(all.begin(), all.end(), [](const WordScore& a, const WordScore& b) { return a.value > b.value; });
      Result<TopWords> top = top_words(model, direction, unit, 3);
      REQUIRE(top.ok());
      REQUIRE(top.value().positive.size() == 3);
      REQUIRE(top.value().negative.size() == 3);
      for (int i = 0; i < 3; ++i) {
        CHECK(top.value().positive[i].id == all[i].id);
        CHECK(top.value().positive[i].value == Approx(all[i].value).margin(1e-6));
        CHECK(top.value().negative[i].id == all[all.size() - 1 - i].id);
      }
    }
  }
  CHECK(top_words(model, 0, 0, 1000).value().positive.size() == 10);
  CHECK(top_words(model, 0, 0, 0).value().negative.empty());
  CHECK(top_words(model, 2, 0, 3).error() == "direction 2 out of range 0..1");
  CHECK(top_words(model, 0, 4, 3).error() == "unit 4 out of range 0..3");
  CHECK(top_words(model, 0, -1, 3).error() == "unit -1 out of range 0..3");
}

TEST_CASE("top_words: equal scores come out in id order", "[attribution]") {
  ModelConfig config;
  config.vocab_size = 7;
  config.embedding_dim = 2;
  config.units = 2;
  ModelWeights weights = ModelWeights::zeros(config);
  std::vector<std::string> words = {"a", "b", "c", "d"};
  Model model = std::move(Model::create(config, std::move(weights), Vocabulary::from_words(words).value())).value();
  TopWords top = top_words(model, 0, 1, 2).value();
  CHECK(top.positive[0].id == 3);
  CHECK(top.positive[1].id == 4);
  CHECK(top.negative[0].id == 3);
  CHECK(top.negative[1].id == 4);
}
