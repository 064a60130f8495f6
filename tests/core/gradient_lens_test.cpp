// The memory lens (core/nn/gradient_lens) against finite differences and against float64
// references (tests/fixtures/gradient_lens.json, written by tests/fixtures/make_gradient_fixtures.py),
// and knocking out units (core/nn/knockout) against what a knocked-out unit must do.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/model_file.h"
#include "nn/gradient_lens.h"
#include "nn/knockout.h"
#include "train/initialize.h"

using namespace unroll;

namespace {

struct Shape {
  CellType cell;
  int layers;
  bool bidirectional;
  bool masked;
  Pooling pooling = Pooling::Last;
};

std::string describe(const Shape& s) {
  return std::string(to_string(s.cell)) + (s.layers > 1 ? " stacked" : "") +
         (s.bidirectional ? " bidirectional" : "") + (s.masked ? " masked" : "") +
         (s.pooling != Pooling::Last ? std::string(", ") + to_string(s.pooling) + " pooling" : "");
}

ModelConfig config_of(const Shape& s) {
  ModelConfig config;
  config.cell = s.cell;
  config.vocab_size = 16;
  config.embedding_dim = 3;
  config.units = 5;
  config.layers = s.layers;
  config.bidirectional = s.bidirectional;
  config.sequence.maxlen = 12;
  config.mask_padding = s.masked;
  config.pooling = s.pooling;
  return config;
}

Vocabulary vocabulary_of(const ModelConfig& config) {
  std::vector<std::string> words;
  for (int i = Vocabulary::kFirstWord; i < config.vocab_size; ++i) words.push_back("w" + std::to_string(i));
  return Vocabulary::from_words(words).value();
}

/** Random weights with an embedding large enough that every step matters to the logit. */
ModelWeights weights_of(const ModelConfig& config, unsigned seed) {
  ModelWeights weights = train::random_weights(config, seed);
  weights.embedding *= 20.0f;
  weights.head_bias = 0.3f;
  return weights;
}

Model model_of(const ModelConfig& config, const ModelWeights& weights) {
  Result<Model> model = Model::create(config, weights, vocabulary_of(config));
  REQUIRE(model.ok());
  return std::move(model).value();
}

const Shape kShapes[] = {
    {CellType::SimpleRnn, 1, false, false}, {CellType::SimpleRnn, 2, false, false},
    {CellType::SimpleRnn, 1, true, false},  {CellType::SimpleRnn, 2, true, true},
    {CellType::Lstm, 1, false, false},      {CellType::Lstm, 2, true, false},
    {CellType::Lstm, 2, true, true},        {CellType::Gru, 1, false, true},
    {CellType::Gru, 2, false, false},       {CellType::Gru, 2, true, false},
};

// Pooled heads read every step: the gradient reaches each state from the head directly.
const Shape kPooledShapes[] = {
    {CellType::Lstm, 1, true, true, Pooling::Max},
    {CellType::Gru, 2, true, true, Pooling::Mean},
    {CellType::SimpleRnn, 1, false, false, Pooling::Mean},
    {CellType::Lstm, 2, false, false, Pooling::Max},
};

// Each word id at most once, so perturbing an embedding row perturbs one step's x_t; padding (0)
// at the front and one inside, which a masked model skips and an unmasked one reads.
const std::vector<int> kIds = {0, 0, 1, 5, 9, 3, 0, 12, 7, 4, 15, 11};

/**
 * ∂logit/∂x_t by central differences: each component of the embedding row read at step t
 * (trace ids) moved by ±h in a copy of the model. Returns [steps × embedding_dim].
 */
Matrix finite_difference_word_gradient(const ModelConfig& config, const ModelWeights& weights,
                                       const std::vector<Knockout>& knockouts, const std::vector<int>& steps) {
  const float h = 1e-2f;
  Matrix gradient(steps.size(), config.embedding_dim);
  for (std::size_t t = 0; t < steps.size(); ++t) {
    for (int k = 0; k < config.embedding_dim; ++k) {
      double sides[2];
      for (int side = 0; side < 2; ++side) {
        ModelWeights moved = weights;
        moved.embedding(steps[t], k) += side ? -h : h;
        Model model = model_of(config, moved);
        REQUIRE(model.set_knockouts(knockouts));
        sides[side] = model.logit(kIds);
      }
      gradient(t, k) = static_cast<float>((sides[0] - sides[1]) / (2.0 * h));
    }
  }
  return gradient;
}

void check_word_gradients(const Shape& shape, const std::vector<Knockout>& knockouts) {
  const ModelConfig config = config_of(shape);
  const ModelWeights weights = weights_of(config, 7);
  Model model = model_of(config, weights);
  REQUIRE(model.set_knockouts(knockouts));
  const GradientLens lens = gradient_lens(model, kIds);
  const int steps = static_cast<int>(lens.ids.size());
  CHECK(steps == (shape.masked ? 9 : 12));
  CHECK(lens.logit == Approx(model.logit(kIds)).margin(1e-6));
  const Matrix expected = finite_difference_word_gradient(config, weights, knockouts, lens.ids);
  // Padding rows repeat (id 0 at three steps): compare those through their sum only.
  for (int t = 0; t < steps; ++t) {
    if (lens.ids[t] == Vocabulary::kPadding) continue;
    INFO(describe(shape) << ", " << knockouts.size() << " knockouts, step " << t);
    const float norm = expected.row(t).norm();
    const float dot = expected.row(t).dot(weights.embedding.row(lens.ids[t]));
    CHECK(lens.word_gradient[t] == Approx(norm).margin(2e-3).epsilon(1e-2));
    CHECK(lens.grad_times_input[t] == Approx(dot).margin(2e-3).epsilon(1e-2));
  }
}

std::string fixture_path(const std::string& file) { return std::string(UNROLL_FIXTURES_DIR) + "/" + file; }

}  // namespace

TEST_CASE("gradient lens: word gradients equal finite differences, every cell and shape", "[lens]") {
  for (const Shape& shape : kShapes) check_word_gradients(shape, {});
}

TEST_CASE("gradient lens: pooled heads' word gradients equal finite differences", "[lens][pooling]") {
  for (const Shape& shape : kPooledShapes) check_word_gradients(shape, {});
}

TEST_CASE("gradient lens: with units knocked out, the gradient of the knocked-out model", "[lens]") {
  for (const Shape& shape : kShapes) {
    const int directions = shape.bidirectional ? 2 : 1;
    check_word_gradients(shape, {{0, 0, 1, 0.0f}, {shape.layers - 1, directions - 1, 3, 0.5f}});
  }
}

TEST_CASE("gradient lens: the state gradient where the head reads is the head's weights", "[lens]") {
  for (const Shape& shape : kShapes) {
    const ModelConfig config = config_of(shape);
    const ModelWeights weights = weights_of(config, 3);
    Model model = model_of(config, weights);
    const GradientLens lens = gradient_lens(model, kIds);
    const int steps = static_cast<int>(lens.ids.size());
    const int n = config.units, directions = config.directions();
    const int top = (config.layers - 1) * directions;
    INFO(describe(shape));
    REQUIRE(lens.state_gradient.rows() == config.layers * directions);
    REQUIRE(lens.state_gradient.cols() == steps);
    REQUIRE(lens.fade_step.size() == std::size_t(config.layers * directions));
    // The last step of the top forward layer: nothing comes after it, only the head.
    CHECK(lens.state_gradient(top, steps - 1) == Approx(weights.head_kernel.head(n).norm()).epsilon(1e-6));
    if (directions == 2)
      CHECK(lens.state_gradient(top + 1, 0) == Approx(weights.head_kernel.tail(n).norm()).epsilon(1e-6));
  }
}

TEST_CASE("gradient lens: an empty sequence has no steps", "[lens]") {
  const ModelConfig config = config_of({CellType::Lstm, 2, true, true});
  Model model = model_of(config, weights_of(config, 5));
  const GradientLens lens = gradient_lens(model, {0, 0, 0});
  CHECK(lens.ids.empty());
  CHECK(lens.word_gradient.size() == 0);
  CHECK(lens.state_gradient.cols() == 0);
  CHECK(lens.logit == Approx(0.3f));
  CHECK(lens.fade_step == std::vector<int>{-1, -1, -1, -1});
}

TEST_CASE("gradient lens: the fade step walks away from where the head reads", "[lens]") {
  const float g[] = {0.001f, 0.5f, 0.004f, 0.2f, 1.0f};
  CHECK(fade_step(g, 5, true) == 2);    // forward: from step 4 back, 0.004 < 1 % of 1
  CHECK(fade_step(g, 5, false) == 0);   // backward: from step 0 on
  const float flat[] = {0.5f, 0.5f};
  CHECK(fade_step(flat, 2, true) == -1);
  const float zero[] = {0.0f, 0.0f};
  CHECK(fade_step(zero, 2, true) == -1);
}

TEST_CASE("gradient lens: equals the float64 references of tests/fixtures/gradient_lens.json", "[lens][parity]") {
  std::ifstream in(fixture_path("gradient_lens.json"));
  REQUIRE(in.good());
  const nlohmann::json fixtures = nlohmann::json::parse(in);
  double worst = 0.0;
  int compared = 0;
  for (const auto& item : fixtures.at("models").items()) {
    // Plain names, not a structured binding: clang 14 (Emscripten's) cannot capture those.
    const std::string name = item.key();
    const nlohmann::json& sequences = item.value();
    Result<ModelFile> file = read_model_file(fixture_path(name + ".safetensors"));
    REQUIRE(file.ok());
    Model model = std::move(Model::create(file.value().config, file.value().weights, file.value().vocabulary)).value();
    for (const auto& expected : sequences) {
      const GradientLens lens = gradient_lens(model, expected.at("ids").get<std::vector<int>>());
      REQUIRE(lens.ids == expected.at("steps").get<std::vector<int>>());
      auto compare = [&](const char* what, float actual, double want) {
        INFO(name << " " << what);
        CHECK(std::fabs(actual - want) <= 1e-4);
        worst = std::max(worst, std::fabs(actual - want));
        ++compared;
      };
      const auto& word = expected.at("word_gradient");
      const auto& gti = expected.at("grad_times_input");
      for (std::size_t t = 0; t < lens.ids.size(); ++t) {
        compare("word_gradient", lens.word_gradient[t], word[t].get<double>());
        compare("grad_times_input", lens.grad_times_input[t], gti[t].get<double>());
      }
      const auto& state = expected.at("state_gradient");
      REQUIRE(state.size() == std::size_t(lens.state_gradient.rows()));
      for (std::size_t e = 0; e < state.size(); ++e)
        for (std::size_t t = 0; t < lens.ids.size(); ++t)
          compare("state_gradient", lens.state_gradient(e, t), state[e][t].get<double>());
    }
  }
  CHECK(compared > 1000);
  WARN("gradient lens vs float64 references: " << compared << " values, max |difference| " << worst);
}

TEST_CASE("knockout: every unit of a one-layer model knocked out leaves the head on h = 0", "[knockout]") {
  std::vector<Shape> shapes(std::begin(kShapes), std::end(kShapes));
  shapes.insert(shapes.end(), std::begin(kPooledShapes), std::end(kPooledShapes));  // pooled zeros are zeros
  for (const Shape& shape : shapes) {
    if (shape.layers != 1) continue;
    const ModelConfig config = config_of(shape);
    Model model = model_of(config, weights_of(config, 9));
    std::vector<Knockout> all;
    for (int d = 0; d < config.directions(); ++d)
      for (int u = 0; u < config.units; ++u) all.push_back({0, d, u, 0.0f});
    REQUIRE(model.set_knockouts(all));
    INFO(describe(shape));
    CHECK(model.logit(kIds) == 0.3f);  // exactly the bias: every product is with zeros
    Trace trace;
    model.trace(kIds, trace);
    CHECK(trace.layers[0].hidden.isZero(0.0f));
    REQUIRE(model.set_knockouts({}));
    CHECK(model.logit(kIds) != 0.3f);
  }
}

TEST_CASE("knockout: a clamped unit holds its value at every step and the rest of the pass reads it", "[knockout]") {
  const ModelConfig config = config_of({CellType::Lstm, 2, true, false});
  const ModelWeights weights = weights_of(config, 4);
  Model model = model_of(config, weights);
  const float before = model.logit(kIds);
  REQUIRE(model.set_knockouts({{0, 1, 2, -0.75f}}));
  Trace trace;
  model.trace(kIds, trace);
  CHECK((trace.layers[1].hidden.col(2).array() == -0.75f).all());
  CHECK(trace.logit != before);
  CHECK(trace.logit == model.logit(kIds));
}

TEST_CASE("knockout: out-of-range knockouts are refused and none is applied", "[knockout]") {
  const ModelConfig config = config_of({CellType::Gru, 2, false, false});
  Model model = model_of(config, weights_of(config, 4));
  const float before = model.logit(kIds);
  for (const Knockout& bad : {Knockout{2, 0, 0, 0.0f}, Knockout{0, 1, 0, 0.0f}, Knockout{0, 0, 5, 0.0f},
                              Knockout{0, 0, -1, 0.0f}, Knockout{0, 0, 0, 1.5f}, Knockout{0, 0, 0, NAN}}) {
    const Status status = model.set_knockouts({{1, 0, 0, 0.0f}, bad});
    CHECK(!status);
    CHECK(model.knockouts().empty());
    CHECK(model.logit(kIds) == before);
  }
}

TEST_CASE("knockout: knockout_effects ranks each unit's change, biggest first, model unchanged", "[knockout]") {
  const ModelConfig config = config_of({CellType::SimpleRnn, 2, true, true});
  Model model = model_of(config, weights_of(config, 8));
  REQUIRE(model.set_knockouts({{1, 1, 4, 0.0f}}));
  const float base = model.logit(kIds);
  Result<std::vector<UnitEffect>> effects = knockout_effects(model, kIds, 0, 1);
  REQUIRE(effects.ok());
  REQUIRE(effects.value().size() == std::size_t(config.units));
  CHECK(model.knockouts().size() == 1);
  CHECK(model.logit(kIds) == base);
  for (std::size_t i = 0; i < effects.value().size(); ++i) {
    const UnitEffect& e = effects.value()[i];
    if (i > 0) CHECK(std::fabs(effects.value()[i - 1].logit_change) >= std::fabs(e.logit_change));
    REQUIRE(model.set_knockouts({{1, 1, 4, 0.0f}, {0, 1, e.unit, 0.0f}}));
    CHECK(e.logit_change == model.logit(kIds) - base);
    CHECK(e.probability_change == Approx(sigmoid(base + e.logit_change) - sigmoid(base)).margin(1e-7));
  }
  CHECK(!knockout_effects(model, kIds, 2, 0).ok());
  CHECK(!knockout_effects(model, kIds, 0, 2).ok());
}
