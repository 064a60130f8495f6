// Batched inference gives the same logits as Model, review by review, for every architecture.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "nn/batch.h"
#include "nn/model.h"
#include "train/initialize.h"

using namespace unroll;

namespace {

Vocabulary batch_words(int count) {
  std::vector<std::string> list;
  for (int i = 0; i < count; ++i) list.push_back("w" + std::to_string(i));
  return Vocabulary::from_words(list).value();
}

/** Random weights with non-zero biases (train::random_weights leaves most biases at zero). */
Model batch_model(CellType cell, int layers, bool bidirectional, int vocab, int embedding,
                  int units, unsigned seed, bool mask_padding = false, Pooling pooling = Pooling::Last) {
  ModelConfig config;
  config.mask_padding = mask_padding;
  config.pooling = pooling;
  config.cell = cell;
  config.vocab_size = vocab;
  config.embedding_dim = embedding;
  config.units = units;
  config.layers = layers;
  config.bidirectional = bidirectional;
  ModelWeights weights = train::random_weights(config, seed);
  std::mt19937 rng(seed + 1);
  std::uniform_real_distribution<float> uniform(-0.3f, 0.3f);
  for (RecurrentWeights& w : weights.rnn) {
    for (Eigen::Index i = 0; i < w.bias.size(); ++i) w.bias(i) += uniform(rng);
    for (Eigen::Index i = 0; i < w.recurrent_bias.size(); ++i) w.recurrent_bias(i) += uniform(rng);
  }
  weights.head_bias = 0.125f;
  return std::move(Model::create(config, std::move(weights), batch_words(vocab - 3))).value();
}

/** ids[b·steps + t]: random ids, including padding (0), start (1), OOV (2) and out-of-range. */
std::vector<int> random_ids(int batch, int steps, int vocab, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> id(0, vocab - 1);
  std::vector<int> ids(std::size_t(batch) * steps);
  for (int& v : ids) v = id(rng);
  if (!ids.empty()) {
    ids[0] = -5;                  // out of range: reads as OOV
    ids[ids.size() - 1] = vocab;  // out of range too
    for (int t = 0; t < std::min(steps, 3); ++t) ids[t] = 0;  // Keras pre-padding
  }
  return ids;
}

/** Largest |BatchRunner logit − Model logit| over the batch. */
double max_difference(Model& model, BatchRunner& runner, const std::vector<int>& ids, int batch,
                      int steps) {
  std::vector<float> batched(batch);
  runner.logits(ids.data(), batch, steps, batched.data());
  double worst = 0.0;
  for (int b = 0; b < batch; ++b) {
    std::vector<int> one(ids.begin() + std::size_t(b) * steps,
                         ids.begin() + std::size_t(b + 1) * steps);
    worst = std::max(worst, std::abs(double(batched[b]) - double(model.logit(one))));
  }
  return worst;
}

struct Shape {
  CellType cell;
  int layers;
  bool bidirectional;
};

}  // namespace

TEST_CASE("BatchRunner matches Model::logit for every cell, stacked and bidirectional", "[batch]") {
  const Shape shapes[] = {
      {CellType::SimpleRnn, 1, false}, {CellType::SimpleRnn, 2, false},
      {CellType::SimpleRnn, 1, true},  {CellType::SimpleRnn, 3, true},
      {CellType::Lstm, 1, false},      {CellType::Lstm, 2, false},
      {CellType::Lstm, 2, true},       {CellType::Gru, 1, false},
      {CellType::Gru, 2, false},       {CellType::Gru, 2, true},
  };
  unsigned seed = 11;
  for (const Shape& shape : shapes) {
    // units 12: not a multiple of 8, so the product's column tail is exercised too.
    for (int units : {16, 12}) {
      Model model = batch_model(shape.cell, shape.layers, shape.bidirectional, 40, 7, units, seed);
      // Chunks of 5: batches of 13 run as 5 + 5 + 3 (and the 6-row blocks meet 5- and 3-row tails).
      BatchRunner runner(model, 5);
      for (int steps : {1, 2, 17}) {
        for (int batch : {1, 13}) {
          INFO("cell " << to_string(shape.cell) << " layers " << shape.layers << " bi "
                       << shape.bidirectional << " units " << units << " steps " << steps
                       << " batch " << batch);
          const std::vector<int> ids = random_ids(batch, steps, 40, seed + steps + batch);
          CHECK(max_difference(model, runner, ids, batch, steps) <= 1e-5);
        }
      }
      ++seed;
    }
  }
}

TEST_CASE("BatchRunner without the input table (large vocabulary) matches Model", "[batch]") {
  // vocab · G·units above 2^23 floats: both Model and BatchRunner multiply embeddings at run time.
  Model model = batch_model(CellType::Gru, 2, true, 44000, 4, 64, 5);
  BatchRunner runner(model);
  const std::vector<int> ids = random_ids(9, 6, 44000, 3);
  CHECK(max_difference(model, runner, ids, 9, 6) <= 1e-5);
}

TEST_CASE("BatchRunner: probabilities, empty sequences and reuse across shapes", "[batch]") {
  Model model = batch_model(CellType::Lstm, 2, false, 30, 5, 8, 21);
  BatchRunner runner(model, 4);
  SECTION("predict is sigmoid(logit)") {
    const std::vector<int> ids = random_ids(6, 9, 30, 1);
    std::vector<float> p(6);
    runner.predict(ids.data(), 6, 9, p.data());
    for (int b = 0; b < 6; ++b) {
      std::vector<int> one(ids.begin() + b * 9, ids.begin() + (b + 1) * 9);
      CHECK(p[b] == Approx(model.predict(one)).margin(1e-6));
    }
  }
  SECTION("zero steps read as the head on h_0 = 0") {
    std::vector<float> logits(3, -1.0f);
    runner.logits(nullptr, 3, 0, logits.data());
    for (float v : logits) CHECK(v == Approx(model.logit({})).margin(1e-7));
  }
  SECTION("a long call, then a short one, then a long one: buffers are reused correctly") {
    for (int steps : {30, 3, 30}) {
      const std::vector<int> ids = random_ids(7, steps, 30, steps);
      CHECK(max_difference(model, runner, ids, 7, steps) <= 1e-5);
    }
  }
  SECTION("a stacked model's chunk shrinks with the sequence length, never below 1") {
    CHECK(runner.chunk_size(10) == 4);
    CHECK(runner.chunk_size(100000000) == 1);
  }
}

TEST_CASE("BatchRunner on a masked model: mixed lengths in one batch, no padded step runs", "[batch][mask]") {
  unsigned seed = 70;
  // 1, 2 and 3 layers: the top layer keeps only its states, the layers below write sequences
  // that the layer above reads (ragged: h = 0 before a review begins).
  for (int layers : {1, 2, 3})
  for (CellType cell : {CellType::SimpleRnn, CellType::Lstm, CellType::Gru}) {
    Model model = batch_model(cell, layers, true, 40, 7, 12, seed++, true);
    BatchRunner runner(model, 3);
    // Each review: a random count of leading padding ids (0 … steps), some padding inside too.
    const int batch = 11, steps = 9;
    std::vector<int> ids = random_ids(batch, steps, 40, seed);
    std::mt19937 rng(seed);
    for (int b = 0; b < batch; ++b) {
      const int padding = std::uniform_int_distribution<int>(0, steps)(rng);
      std::fill(ids.begin() + b * steps, ids.begin() + b * steps + padding, 0);
    }
    INFO("cell " << to_string(cell) << ", " << layers << " layers");
    CHECK(max_difference(model, runner, ids, batch, steps) <= 1e-5);
    // Model::logit itself skips padding: each review equals its words alone.
    std::vector<float> batched(batch);
    runner.logits(ids.data(), batch, steps, batched.data());
    for (int b = 0; b < batch; ++b) {
      std::vector<int> words;
      for (int t = 0; t < steps; ++t)
        if (ids[b * steps + t] != 0) words.push_back(ids[b * steps + t]);
      CHECK(std::abs(batched[b] - model.logit(words)) <= 1e-5);
    }
  }
}

TEST_CASE("BatchRunner with a pooled head matches Model::logit, masked or not", "[batch][pooling]") {
  unsigned seed = 90;
  for (Pooling pooling : {Pooling::Mean, Pooling::Max})
  for (bool masked : {false, true})
  for (const Shape& shape : {Shape{CellType::Lstm, 1, true}, Shape{CellType::Gru, 2, false}, Shape{CellType::SimpleRnn, 3, true}}) {
    Model model = batch_model(shape.cell, shape.layers, shape.bidirectional, 40, 7, 12, seed++, masked, pooling);
    BatchRunner runner(model, 4);  // batches of 11 run as 4 + 4 + 3
    const int batch = 11, steps = 9;
    std::vector<int> ids = random_ids(batch, steps, 40, seed);
    std::mt19937 rng(seed);
    for (int b = 0; b < batch; ++b) {  // reviews of every length, down to none (masked)
      const int padding = std::uniform_int_distribution<int>(0, steps)(rng);
      std::fill(ids.begin() + b * steps, ids.begin() + b * steps + padding, 0);
    }
    INFO("cell " << to_string(shape.cell) << ", " << shape.layers << " layers, bi " << shape.bidirectional
                 << (masked ? ", masked" : "") << ", pooling " << to_string(pooling));
    CHECK(max_difference(model, runner, ids, batch, steps) <= 1e-5);
  }
}
