// Word suggestions (core/nn/word_neighbours) against their definitions, for every cell and shape.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "nn/word_neighbours.h"
#include "train/initialize.h"

using namespace unroll;

namespace {

struct Shape {
  CellType cell;
  int layers;
  bool bidirectional;
  bool masked;
  Side padding;
  const char* name;
  Pooling pooling = Pooling::Last;
};

const Shape kShapes[] = {
    {CellType::SimpleRnn, 2, false, false, Side::Pre, "stacked SimpleRNN, padded pre (seed-rnn's shape)"},
    {CellType::SimpleRnn, 2, true, true, Side::Pre, "stacked bidirectional SimpleRNN, masked (bi-rnn's)"},
    {CellType::Lstm, 1, true, true, Side::Pre, "bidirectional LSTM, masked (best's)"},
    {CellType::Lstm, 2, false, false, Side::Pre, "stacked LSTM, padded pre"},
    {CellType::Lstm, 1, false, true, Side::Pre, "LSTM, masked"},
    {CellType::Gru, 2, false, false, Side::Pre, "stacked GRU, padded pre"},
    {CellType::Gru, 1, true, false, Side::Pre, "bidirectional GRU, padded pre"},
    {CellType::SimpleRnn, 1, false, false, Side::Post, "SimpleRNN, padded post (the word is not last)"},
    {CellType::Lstm, 1, true, true, Side::Pre, "bidirectional LSTM, masked, max pooling", Pooling::Max},
    {CellType::SimpleRnn, 2, false, false, Side::Pre, "stacked SimpleRNN, padded pre, mean pooling", Pooling::Mean},
};

Model make_model(const Shape& shape, int words = 1500) {
  ModelConfig config;
  config.cell = shape.cell;
  config.vocab_size = words + Vocabulary::kFirstWord;  // > one chunk of the batched step
  config.embedding_dim = 6;
  config.units = 5;
  config.layers = shape.layers;
  config.bidirectional = shape.bidirectional;
  config.mask_padding = shape.masked;
  config.pooling = shape.pooling;
  config.sequence.maxlen = 9;
  config.sequence.padding = shape.padding;
  config.sequence.pad = !shape.masked;
  std::vector<std::string> list;
  for (int i = 0; i < words; ++i) list.push_back("w" + std::to_string(i));
  ModelWeights weights = train::random_weights(config, 17);
  weights.head_bias = 0.1f;
  return std::move(Model::create(config, std::move(weights), Vocabulary::from_words(list).value())).value();
}

float direct_effect(Model& model, int id) {
  const SequenceOptions& options = model.config().sequence;
  return model.logit(make_sequence(std::vector<int>{id}, options).ids) -
         model.logit(make_sequence(std::vector<int>{}, options).ids);
}

float cosine(const Model& model, int a, int b) {
  const Matrix& e = model.weights().embedding;
  return e.row(a).dot(e.row(b)) / (e.row(a).norm() * e.row(b).norm());
}

}  // namespace

TEST_CASE("word_effects is logit(the word alone) − logit(the empty review), for every shape", "[words]") {
  for (const Shape& shape : kShapes) {
    Model model = make_model(shape);
    const std::vector<float> effects = word_effects(model);
    REQUIRE(effects.size() == static_cast<std::size_t>(model.config().vocab_size));
    for (int id = 0; id < Vocabulary::kFirstWord; ++id) CHECK(effects[id] == 0.0f);
    float largest = 0.0f;
    for (int id = Vocabulary::kFirstWord; id < model.config().vocab_size; id += 7) {
      INFO(shape.name << ", id " << id);
      CHECK(effects[id] == Approx(direct_effect(model, id)).margin(2e-6));
      largest = std::max(largest, std::fabs(effects[id]));
    }
    INFO(shape.name);
    CHECK(largest > 1e-3f);  // the words do move the verdict: the comparison above means something
  }
}

TEST_CASE("word_effects: a window too small for the word gives every word the same effect", "[words]") {
  Shape shape = kShapes[0];
  Model model = make_model(shape, 20);
  ModelConfig config = model.config();
  config.sequence.maxlen = 1;
  config.sequence.truncating = Side::Post;  // keeps the start token, drops the word
  std::vector<std::string> list(model.vocabulary().words());
  Model small = std::move(Model::create(config, model.weights(), Vocabulary::from_words(list).value())).value();
  for (float e : word_effects(small)) CHECK(e == 0.0f);
}

TEST_CASE("nearest: the most similar embedding rows by cosine, most similar first, not the word", "[words]") {
  Model model = make_model(kShapes[0], 200);
  WordNeighbours neighbours(model);
  const int id = 10;
  const std::vector<WordSimilarity> near = neighbours.nearest(id, 8);
  REQUIRE(near.size() == 8);
  // Brute force: every other word's cosine, sorted.
  std::vector<std::pair<float, int>> all;
  for (int other = Vocabulary::kFirstWord; other < model.config().vocab_size; ++other)
    if (other != id) all.push_back({cosine(model, id, other), other});
  std::sort(all.begin(), all.end(), [](auto a, auto b) { return a.first > b.first; });
  for (int i = 0; i < 8; ++i) {
    CHECK(near[i].id == all[i].second);
    CHECK(near[i].similarity == Approx(all[i].first).margin(1e-5));
    CHECK(near[i].id >= Vocabulary::kFirstWord);
  }
  CHECK(neighbours.nearest(1, 8).empty());                            // the start token is no word
  CHECK(neighbours.nearest(model.config().vocab_size, 8).empty());    // out of range
  CHECK(neighbours.nearest(id, 0).empty());
  CHECK(neighbours.nearest(id, 100000).size() == 199);                // every other word
}

TEST_CASE("opposite: strong words of the other sign, the nearest of them first", "[words]") {
  for (const Shape& shape : {kShapes[0], kShapes[2]}) {
    Model model = make_model(shape, 400);
    WordNeighbours neighbours(model);
    const std::vector<float>& effects = neighbours.effects();
    for (int id : {3, 50, 77}) {
      INFO(shape.name << ", id " << id);
      const std::vector<WordEffect> opposite = neighbours.opposite(id, 6);
      REQUIRE(opposite.size() == 6);
      const bool positive = effects[id] >= 0.0f;
      // The shortlist threshold: the 32nd largest |effect| of the opposite sign.
      std::vector<float> magnitudes;
      for (int other = Vocabulary::kFirstWord; other < model.config().vocab_size; ++other)
        if (other != id && (positive ? effects[other] < 0.0f : effects[other] >= 0.0f))
          magnitudes.push_back(std::fabs(effects[other]));
      std::sort(magnitudes.rbegin(), magnitudes.rend());
      const float threshold = magnitudes[std::min<std::size_t>(31, magnitudes.size() - 1)];
      for (std::size_t i = 0; i < opposite.size(); ++i) {
        CHECK(opposite[i].id != id);
        CHECK(opposite[i].effect == effects[opposite[i].id]);
        CHECK((opposite[i].effect < 0.0f) == positive);
        CHECK(std::fabs(opposite[i].effect) >= threshold);
        if (i) CHECK(cosine(model, id, opposite[i - 1].id) >= cosine(model, id, opposite[i].id) - 1e-6f);
      }
    }
    CHECK(neighbours.opposite(0, 6).empty());
  }
}
