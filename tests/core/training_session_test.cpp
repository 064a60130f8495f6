// The stepped training run (train/session.h): its first steps on a synthetic dataset must give the
// losses and weights recorded in tests/fixtures/trainer_steps.json. The same fixture is checked
// against the WebAssembly trainer module (tests/js/trainer.test.mjs), and this test also runs in
// the wasm build of the core under node: native and wasm agree to 1e-5.
// UNROLL_UPDATE_FIXTURES=1 rewrites the fixture from this (native) build.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/model_file.h"
#include "train/optimizer.h"
#include "train/session.h"

using namespace unroll;
using namespace unroll::train;

namespace {

/** Knuth's multiplicative hash of a small integer, bits 16..31 (JS: Math.imul(x, 2654435761) >>> 16). */
std::uint32_t mix(std::uint32_t x) { return (x * 2654435761u) >> 16; }

/**
 * The synthetic reviews of tests/fixtures/README.md: vocabulary w3..w59, maxlen 12; review i of
 * split s (0 train, 1 test) has label i % 2 and 3 + mix(i·131 + 977·s + 1) % 10 words,
 * pre-padded; word t is 3 + mix(i·131 + t·71 + 977·s + 5) % 28 + 28·label. Positive and negative
 * reviews use disjoint words, so the task is separable. tests/js/trainer.test.mjs builds the same.
 */
TrainingData synthetic_data(int train_count, int test_count) {
  TrainingData data;
  data.sequence.maxlen = 12;
  std::vector<std::string> words;
  for (int i = 3; i < 60; ++i) words.push_back("w" + std::to_string(i));
  data.vocabulary = Vocabulary::from_words(words).value();
  for (int s = 0; s < 2; ++s) {
    DataSplit split;
    split.name = s == 0 ? "train" : "test";
    const int count = s == 0 ? train_count : test_count;
    for (int i = 0; i < count; ++i) {
      const int label = i % 2, length = 3 + mix(i * 131 + 977 * s + 1) % 10;
      std::vector<std::uint16_t> row(12, 0);
      for (int t = 0; t < length; ++t)
        row[12 - length + t] = static_cast<std::uint16_t>(3 + mix(i * 131 + t * 71 + 977 * s + 5) % 28 + 28 * label);
      split.ids.insert(split.ids.end(), row.begin(), row.end());
      split.labels.push_back(static_cast<std::uint8_t>(label));
    }
    data.splits.push_back(std::move(split));
  }
  return data;
}

Recipe fixture_recipe() {
  Recipe recipe;
  recipe.embedding_dim = 8;
  recipe.units = 6;
  recipe.layers = 2;
  recipe.dropout = 0.2f;
  recipe.learning_rate = 1e-2;
  recipe.batch = 16;
  recipe.seed = 7;
  return recipe;
}

std::vector<float> parameters(ModelWeights weights) {
  std::vector<float> out;
  for (auto [p, n] : tensors(weights)) out.insert(out.end(), p, p + n);
  return out;
}

}  // namespace

TEST_CASE("Training session's first steps match the recorded fixture", "[train][session]") {
  Result<std::unique_ptr<Session>> created = Session::create(fixture_recipe(), synthetic_data(96, 32));
  REQUIRE(created.ok());
  Session& session = *created.value();
  CHECK(session.train_count() + session.validation_count() == 96);
  CHECK(session.batches_per_epoch() == (session.train_count() + 15) / 16);
  std::vector<double> losses;
  for (int i = 0; i < 3; ++i) losses.push_back(session.step().loss);
  const std::vector<float> weights = parameters(session.weights());

  const std::string path = std::string(UNROLL_FIXTURES_DIR) + "/trainer_steps.json";
  if (std::getenv("UNROLL_UPDATE_FIXTURES")) {
    nlohmann::json out = {{"about", "tests/core/training_session_test.cpp: 3 steps, synthetic data, fixture recipe"},
                          {"losses", losses},
                          {"parameters", weights}};
    std::ofstream(path) << out.dump() << "\n";
  }
  std::ifstream in(path);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json expected = nlohmann::json::parse(text.str(), nullptr, false);
  REQUIRE(expected.is_object());
  REQUIRE(expected["losses"].size() == 3);
  for (int i = 0; i < 3; ++i) CHECK(std::abs(losses[i] - expected["losses"][i].get<double>()) < 1e-5);
  REQUIRE(expected["parameters"].size() == weights.size());
  double worst = 0;
  for (std::size_t i = 0; i < weights.size(); ++i)
    worst = std::max(worst, std::abs(double(weights[i]) - expected["parameters"][i].get<double>()));
  CHECK(worst < 1e-5);
}

TEST_CASE("Training session learns separable data and exports a readable model", "[train][session]") {
  Recipe recipe = fixture_recipe();
  recipe.units = 8;
  recipe.layers = 1;
  recipe.batch = 32;
  Result<std::unique_ptr<Session>> created = Session::create(recipe, synthetic_data(1000, 200));
  REQUIRE(created.ok());
  Session& session = *created.value();
  const double before = session.evaluate("validation").value().accuracy;
  int steps = 0;
  while (!session.step().epoch_end) ++steps;
  CHECK(steps + 1 == session.batches_per_epoch());
  CHECK(session.epochs_done() == 1);
  const BinaryMetrics validation = session.evaluate("validation").value();
  const BinaryMetrics test = session.evaluate("test").value();
  CHECK(validation.accuracy > 0.9);
  CHECK(test.accuracy > 0.9);
  CHECK(before < 0.8);
  CHECK_FALSE(session.evaluate("nonsense").ok());

  const std::string bytes = session.export_model(R"({"trainer":"test"})");
  Result<ModelFile> file = read_model(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), "yours");
  REQUIRE(file.ok());
  CHECK(file.value().config.units == 8);
  CHECK(file.value().vocabulary.words() == session.data().vocabulary.words());
  CHECK(parameters(file.value().weights) == parameters(session.weights()));
}

TEST_CASE("Training session refuses a recipe it cannot run", "[train][session]") {
  Recipe recipe = fixture_recipe();
  recipe.dropout = 1.0f;
  CHECK_FALSE(Session::create(recipe, synthetic_data(10, 0)).ok());
  recipe = fixture_recipe();
  recipe.units = 0;
  CHECK_FALSE(Session::create(recipe, synthetic_data(10, 0)).ok());
  CHECK_FALSE(Session::create(fixture_recipe(), synthetic_data(1, 0)).ok());
}
