// The forward pass and its trace, on hand-checkable models (PyTorch parity is parity_test.cpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "nn/model.h"
#include "text/sequence.h"
#include "train/initialize.h"

using namespace unroll;

namespace {

Vocabulary words(int count) {
  std::vector<std::string> list;
  for (int i = 0; i < count; ++i) list.push_back("w" + std::to_string(i));
  return Vocabulary::from_words(list).value();
}

ModelConfig small_config(CellType cell, int layers, bool bidirectional) {
  ModelConfig config;
  config.cell = cell;
  config.vocab_size = 9;
  config.embedding_dim = 3;
  config.units = 4;
  config.layers = layers;
  config.bidirectional = bidirectional;
  return config;
}

Model random_model(CellType cell, int layers, bool bidirectional, unsigned seed = 7) {
  ModelConfig config = small_config(cell, layers, bidirectional);
  ModelWeights weights = train::random_weights(config, seed);
  weights.head_bias = 0.25f;
  return std::move(Model::create(config, std::move(weights), words(6))).value();
}

}  // namespace

TEST_CASE("SimpleRNN follows h_t = tanh(x_t·W + h_{t-1}·U + b) by hand", "[model]") {
  ModelConfig config = small_config(CellType::SimpleRnn, 1, false);
  config.embedding_dim = 2;
  config.units = 2;
  ModelWeights w = ModelWeights::zeros(config);
  w.embedding.row(3) << 1.0f, 0.0f;
  w.embedding.row(4) << 0.0f, 1.0f;
  w.rnn[0].kernel << 0.5f, -0.25f, 0.125f, 1.0f;      // [2 × 2]
  w.rnn[0].recurrent_kernel << 0.3f, 0.1f, -0.2f, 0.4f;
  w.rnn[0].bias << 0.05f, -0.05f;
  w.head_kernel << 1.5f, -2.0f;
  w.head_bias = 0.1f;
  Model model = std::move(Model::create(config, w, words(6))).value();

  // Step 1 reads word 3 (x = [1, 0]); step 2 reads word 4 (x = [0, 1]).
  const double h1a = std::tanh(0.5 + 0.05), h1b = std::tanh(-0.25 - 0.05);
  const double h2a = std::tanh(0.125 + h1a * 0.3 + h1b * -0.2 + 0.05);
  const double h2b = std::tanh(1.0 + h1a * 0.1 + h1b * 0.4 - 0.05);
  const double logit = 1.5 * h2a - 2.0 * h2b + 0.1;

  Trace trace;
  model.trace({3, 4}, trace);
  REQUIRE(trace.layers.size() == 1);
  const LayerTrace& layer = trace.layers[0];
  CHECK(layer.hidden(0, 0) == Approx(h1a).margin(1e-6));
  CHECK(layer.hidden(0, 1) == Approx(h1b).margin(1e-6));
  CHECK(layer.hidden(1, 0) == Approx(h2a).margin(1e-6));
  CHECK(layer.hidden(1, 1) == Approx(h2b).margin(1e-6));
  CHECK(trace.logit == Approx(logit).margin(1e-6));
  CHECK(trace.probability == Approx(1.0 / (1.0 + std::exp(-logit))).margin(1e-6));
  // The split the page shows: what the word brings, what memory brings, the bias.
  CHECK(layer.input_part(1, 0) == Approx(0.125f));
  CHECK(layer.recurrent_part(1, 0) == Approx(h1a * 0.3 + h1b * -0.2).margin(1e-6));
  CHECK(layer.preactivation(1, 0) ==
        Approx(layer.input_part(1, 0) + layer.recurrent_part(1, 0) + 0.05f).margin(1e-6));
  CHECK(layer.recurrent_part(0, 0) == 0.0f);  // h_0 = 0
  // Running logit: the head on h_t at every step; the last equals the final logit.
  REQUIRE(trace.running_logit.size() == 2);
  CHECK(trace.running_logit(0) == Approx(1.5 * h1a - 2.0 * h1b + 0.1).margin(1e-6));
  CHECK(trace.running_logit(1) == Approx(trace.logit).margin(1e-6));
}

TEST_CASE("predict equals the traced probability for every architecture", "[model]") {
  const std::vector<int> ids = {0, 0, 1, 3, 8, 2, 5, 5, 4};
  for (CellType cell : {CellType::SimpleRnn, CellType::Lstm, CellType::Gru}) {
    for (int layers : {1, 2}) {
      for (bool bidirectional : {false, true}) {
        INFO(to_string(cell) << " layers=" << layers << " bidirectional=" << bidirectional);
        Model model = random_model(cell, layers, bidirectional);
        Trace trace;
        model.trace(ids, trace);
        CHECK(model.predict(ids) == Approx(trace.probability).margin(1e-7));
        CHECK(model.logit(ids) == Approx(trace.logit).margin(1e-6));
        const int directions = bidirectional ? 2 : 1;
        REQUIRE(trace.layers.size() == static_cast<std::size_t>(layers * directions));
        const int gates = gate_count(cell) * 4;
        for (const LayerTrace& layer : trace.layers) {
          CHECK(layer.hidden.rows() == 9);
          CHECK(layer.hidden.cols() == 4);
          CHECK(layer.gates.cols() == gates);
          CHECK(layer.input_part.cols() == gates);
          CHECK(layer.cell.rows() == (cell == CellType::Lstm ? 9 : 0));
        }
        CHECK(trace.running_logit.size() == (bidirectional ? 0 : 9));
      }
    }
  }
}

TEST_CASE("the backward direction's final state is the one at step 0", "[model]") {
  Model model = random_model(CellType::Gru, 1, true);
  Trace trace;
  model.trace({3, 4, 5}, trace);
  const Vector& head = model.weights().head_kernel;
  const float expected = trace.layers[0].hidden.row(2).dot(head.head(4)) +
                         trace.layers[1].hidden.row(0).dot(head.tail(4)) + 0.25f;
  CHECK(trace.logit == Approx(expected).margin(1e-6));
  // Reading [3,4,5] backwards from the end, the backward state at step 2 has seen only word 5,
  // so it equals a forward pass over [5] of the same weights.
  Trace single;
  model.trace({5}, single);
  for (int u = 0; u < 4; ++u)
    CHECK(trace.layers[1].hidden(2, u) == Approx(single.layers[1].hidden(0, u)).margin(1e-6));
}

TEST_CASE("an empty sequence reads as the head on h = 0", "[model]") {
  Model model = random_model(CellType::Lstm, 2, true);
  Trace trace;
  model.trace({}, trace);
  CHECK(trace.logit == Approx(0.25f));
  CHECK(model.predict({}) == Approx(1.0f / (1.0f + std::exp(-0.25f))));
  for (const LayerTrace& layer : trace.layers) CHECK(layer.hidden.rows() == 0);
}

TEST_CASE("ids outside the vocabulary read as out-of-vocabulary", "[model]") {
  Model model = random_model(CellType::SimpleRnn, 2, false);
  CHECK(model.logit({3, -5, 100000}) == model.logit({3, Vocabulary::kOutOfVocabulary,
                                                     Vocabulary::kOutOfVocabulary}));
}

TEST_CASE("reused buffers give the same answer whatever ran before", "[model]") {
  Model model = random_model(CellType::Lstm, 2, false);
  const std::vector<int> short_ids = {3, 4};
  const std::vector<int> long_ids = {3, 4, 5, 6, 7, 8, 3, 4, 5, 6, 7, 8};
  const float first = model.logit(short_ids);
  model.logit(long_ids);
  CHECK(model.logit(short_ids) == first);
  Trace trace;
  model.trace(long_ids, trace);
  model.trace(short_ids, trace);
  CHECK(trace.logit == first);
  CHECK(trace.layers[0].hidden.rows() == 2);
}

TEST_CASE("a moved model still runs (layers refer to weights that moved with it)", "[model]") {
  Model a = random_model(CellType::Gru, 2, true);
  const float before = a.logit({3, 4, 5});
  Model b = std::move(a);
  CHECK(b.logit({3, 4, 5}) == before);
}

TEST_CASE("Model::create rejects shapes and vocabularies that disagree with the config", "[model]") {
  ModelConfig config = small_config(CellType::Lstm, 2, false);
  ModelWeights weights = ModelWeights::zeros(config);
  weights.rnn[1].kernel.resize(3, 16);
  auto bad_shape = Model::create(config, weights, words(6));
  REQUIRE_FALSE(bad_shape.ok());
  CHECK_THAT(bad_shape.error(),
             Catch::Contains("tensor 'rnn.1.fwd.kernel' has shape [3,16], expected [4,16]"));

  auto bad_vocab = Model::create(config, ModelWeights::zeros(config), words(5));
  REQUIRE_FALSE(bad_vocab.ok());
  CHECK_THAT(bad_vocab.error(), Catch::Contains("vocabulary has 5 words"));

  ModelConfig zero_units = config;
  zero_units.units = 0;
  auto bad_config = Model::create(zero_units, ModelWeights::zeros(config), words(6));
  REQUIRE_FALSE(bad_config.ok());
  CHECK_THAT(bad_config.error(), Catch::Contains("units is 0"));
}

TEST_CASE("random weights: LSTM forget bias starts at 1, GRU has a recurrent bias", "[model]") {
  ModelConfig lstm = small_config(CellType::Lstm, 1, false);
  ModelWeights w = train::random_weights(lstm, 1);
  CHECK(w.rnn[0].bias.segment(4, 4).isOnes());
  CHECK(w.rnn[0].bias.head(4).isZero());
  ModelConfig gru = small_config(CellType::Gru, 1, false);
  CHECK(train::random_weights(gru, 1).rnn[0].recurrent_bias.size() == 12);
  CHECK(train::random_weights(gru, 1).check_shapes(gru).ok());
}

TEST_CASE("a masked model runs only the words: a 5-word review is 6 steps whatever maxlen", "[model][mask]") {
  for (CellType cell : {CellType::SimpleRnn, CellType::Lstm, CellType::Gru}) {
    ModelConfig config = small_config(cell, 2, true);
    config.sequence.maxlen = 500;
    config.mask_padding = true;
    ModelWeights weights = train::random_weights(config, 3);
    weights.head_bias = 0.25f;
    Model model = std::move(Model::create(config, weights, words(6))).value();
    CHECK_FALSE(model.config().sequence.pad);
    // The model's own sequence options read a short review without padding.
    const Sequence sequence = make_sequence(std::vector<int>{3, 4, 5, 6, 7}, model.config().sequence);
    CHECK(sequence.ids == std::vector<int>{1, 3, 4, 5, 6, 7});
    CHECK(sequence.padding == 0);
    // Handed padding anyway (Keras' pad_sequences, or a padding id inside), it does not run it.
    std::vector<int> padded(494, 0);
    padded.insert(padded.end(), {1, 3, 4, 5, 6, 7});
    Trace trace;
    model.trace(padded, trace);
    CHECK(trace.steps() == 6);
    CHECK(trace.ids == sequence.ids);
    CHECK(trace.layers[0].hidden.rows() == 6);
    CHECK(model.logit(padded) == model.logit(sequence.ids));
    CHECK(model.logit({1, 3, 0, 4, 5, 0, 6, 7}) == model.logit(sequence.ids));
    CHECK(model.logit({0, 0, 0}) == model.logit({}));
    // An unmasked model with the same weights reads the padding, and answers differently.
    config.mask_padding = false;
    Model unmasked = std::move(Model::create(config, weights, words(6))).value();
    CHECK(unmasked.config().sequence.pad);
    unmasked.trace(padded, trace);
    CHECK(trace.steps() == 500);
    CHECK(unmasked.logit(padded) != model.logit(padded));
  }
}
