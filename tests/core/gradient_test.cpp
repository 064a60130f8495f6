// Every backward pass of the trainer (embedding, SimpleRNN, LSTM, GRU, stacked, bidirectional,
// input dropout, dense head with binary cross-entropy) against central finite differences of
// the training loss. Sizes are tiny so that the whole file runs in well under a second, natively
// and under node.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "train/network.h"
#include "train/optimizer.h"
#include "train/initialize.h"

using namespace unroll;
using namespace unroll::train;

namespace {

struct Case {
  const char* name;
  CellType cell;
  int layers;
  bool bidirectional;
  float dropout;
};

ModelConfig tiny_config(const Case& c) {
  ModelConfig config;
  config.cell = c.cell;
  config.vocab_size = 7;
  config.embedding_dim = 3;
  config.units = 3;
  config.layers = c.layers;
  config.bidirectional = c.bidirectional;
  config.sequence.maxlen = 5;
  return config;
}

struct TinyBatch {
  std::vector<std::vector<std::int32_t>> ids;
  std::vector<const std::int32_t*> pointers;
  std::vector<float> labels;
  DropoutMasks dropout;
  BatchView view(int first, int count) const {
    BatchView v;
    v.sequences = pointers.data() + first;
    v.labels = labels.data() + first;
    v.count = count;
    v.steps = static_cast<int>(ids[0].size());
    v.dropout = &dropout;
    v.dropout_row = first;
    return v;
  }
};

TinyBatch tiny_batch(const ModelConfig& config, int count, float dropout, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> id(0, config.vocab_size + 1);  // a few out of range, read as OOV
  TinyBatch batch;
  for (int b = 0; b < count; ++b) {
    std::vector<std::int32_t> sequence;
    for (int t = 0; t < config.sequence.maxlen; ++t) sequence.push_back(id(rng));
    batch.ids.push_back(sequence);
    batch.labels.push_back(static_cast<float>(b % 2));
  }
  for (const auto& sequence : batch.ids) batch.pointers.push_back(sequence.data());
  batch.dropout = DropoutMasks::sample(config, count, dropout, rng);
  return batch;
}

// Keras mask_zero batches: rows of different lengths, padded before (rows 0, 1), after (row 2),
// or entirely (row 3, an empty review). Words never use id 0, the padding id.
TinyBatch masked_batch(const ModelConfig& config, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> id(1, config.vocab_size + 1);
  const int steps = config.sequence.maxlen;
  const int lengths[] = {steps, 2, 3, 0};
  TinyBatch batch;
  for (int b = 0; b < 4; ++b) {
    std::vector<std::int32_t> sequence(steps, 0);
    const int first = b == 2 ? 0 : steps - lengths[b];
    for (int k = 0; k < lengths[b]; ++k) sequence[first + k] = id(rng);
    batch.ids.push_back(sequence);
    batch.labels.push_back(static_cast<float>(b % 2));
  }
  for (const auto& sequence : batch.ids) batch.pointers.push_back(sequence.data());
  return batch;
}

// Larger than the initialiser's weights so that every gate works away from its linear regime.
ModelWeights test_weights(const ModelConfig& config, unsigned seed) {
  ModelWeights weights = train::random_weights(config, seed);
  std::mt19937 rng(seed + 1);
  std::uniform_real_distribution<float> noise(-0.4f, 0.4f);
  for (auto [data, size] : tensors(weights))
    for (Eigen::Index i = 0; i < size; ++i) data[i] = data[i] * 1.5f + noise(rng);
  return weights;
}

/**
 * Checks every parameter's analytic gradient against central differences of the loss. With
 * `kinks` (max pooling: the loss is piecewise smooth, with a kink wherever two steps tie for a
 * unit's maximum), an element whose central difference changes when the interval is halved has
 * a kink inside it, where no finite difference is the derivative: it is skipped, and at most
 * 3 % of the elements may be.
 */
void check_gradients(const char* name, const ModelConfig& config, const TinyBatch& batch,
                     int count, bool kinks = false) {
  ModelWeights weights = test_weights(config, 5);
  Network network(config);

  ModelWeights grad = ModelWeights::zeros(config);
  network.run(weights, batch.view(0, count), &grad, 1.0f, nullptr);

  auto params = tensors(weights);
  auto grads = tensors(grad);
  const float h = 2e-3f;
  int checked = 0, skipped = 0;
  for (std::size_t k = 0; k < params.size(); ++k) {
    for (Eigen::Index i = 0; i < params[k].second; ++i) {
      float& p = params[k].first[i];
      const float saved = p;
      auto central = [&](float step) {
        p = saved + step;
        const double up = network.run(weights, batch.view(0, count), nullptr, 1.0f, nullptr);
        p = saved - step;
        const double down = network.run(weights, batch.view(0, count), nullptr, 1.0f, nullptr);
        p = saved;
        return (up - down) / (2.0 * step);
      };
      const double numeric = central(h);
      if (kinks) {
        const double finer = central(h / 2);
        if (std::abs(numeric - finer) > 1e-2 * (1e-2 + std::abs(finer))) {
          ++skipped;
          continue;
        }
      }
      const double analytic = grads[k].first[i];
      const double error = std::abs(numeric - analytic) / (1e-2 + std::abs(analytic));
      INFO(name << ": tensor " << k << " element " << i << " numeric " << numeric << " analytic "
                << analytic);
      REQUIRE(error < 2e-2);
      ++checked;
    }
  }
  CHECK(checked > 40);
  INFO(name << ": " << skipped << " of " << checked + skipped << " elements have a kink within ±h");
  CHECK(skipped <= (checked + skipped) * 3 / 100);
}

}  // namespace

TEST_CASE("Backward passes match finite differences of the loss", "[gradient][train]") {
  const Case cases[] = {
      {"simple_rnn", CellType::SimpleRnn, 1, false, 0.0f},
      {"simple_rnn stacked, dropout", CellType::SimpleRnn, 2, false, 0.3f},
      {"simple_rnn bidirectional stacked, dropout", CellType::SimpleRnn, 2, true, 0.3f},
      {"lstm", CellType::Lstm, 1, false, 0.0f},
      {"lstm bidirectional stacked, dropout", CellType::Lstm, 2, true, 0.3f},
      {"gru", CellType::Gru, 1, false, 0.0f},
      {"gru bidirectional stacked, dropout", CellType::Gru, 2, true, 0.3f},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      const ModelConfig config = tiny_config(c);
      check_gradients(c.name, config, tiny_batch(config, 4, c.dropout, 11), 4);
    }
  }
}

TEST_CASE("Masked backward passes match finite differences of the loss", "[gradient][train]") {
  const Case cases[] = {
      {"masked simple_rnn bidirectional stacked", CellType::SimpleRnn, 2, true, 0.0f},
      {"masked lstm bidirectional", CellType::Lstm, 1, true, 0.0f},
      {"masked lstm stacked", CellType::Lstm, 2, false, 0.0f},
      {"masked gru bidirectional stacked", CellType::Gru, 2, true, 0.0f},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      ModelConfig config = tiny_config(c);
      config.mask_padding = true;
      check_gradients(c.name, config, masked_batch(config, 13), 4);
    }
  }
}

TEST_CASE("Pooled heads' backward passes match finite differences of the loss", "[gradient][train][pooling]") {
  struct PooledCase {
    Case model;
    bool masked;
    Pooling pooling;
  };
  const PooledCase cases[] = {
      {{"masked lstm bidirectional, max", CellType::Lstm, 1, true, 0.0f}, true, Pooling::Max},
      {{"masked gru bidirectional stacked, mean", CellType::Gru, 2, true, 0.0f}, true, Pooling::Mean},
      {{"simple_rnn stacked, mean, dropout", CellType::SimpleRnn, 2, false, 0.3f}, false, Pooling::Mean},
      {{"lstm, max", CellType::Lstm, 1, false, 0.0f}, false, Pooling::Max},
  };
  for (const PooledCase& c : cases) {
    SECTION(c.model.name) {
      ModelConfig config = tiny_config(c.model);
      config.mask_padding = c.masked;
      config.pooling = c.pooling;
      // The masked batch holds an empty review: its pooled state is h = 0, no gradient reaches it.
      const TinyBatch batch = c.masked ? masked_batch(config, 17) : tiny_batch(config, 4, c.model.dropout, 19);
      check_gradients(c.model.name, config, batch, 4, c.pooling == Pooling::Max);
    }
  }
}

TEST_CASE("A masked batch gives each sequence's loss and gradient read on its words alone",
          "[gradient][train]") {
  for (CellType cell : {CellType::SimpleRnn, CellType::Lstm, CellType::Gru}) {
    ModelConfig config = tiny_config({"", cell, 2, true, 0.0f});
    config.mask_padding = true;
    const TinyBatch batch = masked_batch(config, 21);
    const ModelWeights weights = test_weights(config, 8);
    Network network(config);
    ModelWeights together = ModelWeights::zeros(config);
    float probabilities[4];
    const double loss = network.run(weights, batch.view(0, 4), &together, 1.0f, probabilities);

    // The same sequences one at a time, padding cut off, through an unmasked network.
    ModelConfig plain = config;
    plain.mask_padding = false;
    Network alone(plain);
    ModelWeights separate = ModelWeights::zeros(config);
    double sum = 0.0;
    for (int b = 0; b < 4; ++b) {
      std::vector<std::int32_t> words;
      for (std::int32_t id : batch.ids[b])
        if (id != 0) words.push_back(id);
      float probability = 0.0f;
      if (words.empty()) {  // nothing read: the head on h = 0
        probability = 1.0f / (1.0f + std::exp(-weights.head_bias));
        const float y = batch.labels[b];
        sum += -(y * std::log(probability) + (1 - y) * std::log(1 - probability));
        separate.head_bias += probability - y;
      } else {
        const std::int32_t* row = words.data();
        BatchView view;
        view.sequences = &row;
        view.labels = &batch.labels[b];
        view.count = 1;
        view.steps = static_cast<int>(words.size());
        sum += alone.run(weights, view, &separate, 1.0f, &probability);
      }
      INFO("cell " << to_string(cell) << " sequence " << b);
      CHECK(probabilities[b] == Approx(probability).margin(1e-6));
    }
    CHECK(loss == Approx(sum).epsilon(1e-5));
    auto a = tensors(together);
    auto b = tensors(separate);
    for (std::size_t k = 0; k < a.size(); ++k)
      for (Eigen::Index i = 0; i < a[k].second; ++i)
        REQUIRE(b[k].first[i] == Approx(a[k].first[i]).margin(1e-6).epsilon(1e-4));
  }
}

TEST_CASE("A batch split in two gives the whole batch's gradient", "[gradient][train]") {
  const Case c{"gru bidirectional", CellType::Gru, 2, true, 0.2f};
  const ModelConfig config = tiny_config(c);
  const TinyBatch batch = tiny_batch(config, 6, c.dropout, 3);
  const ModelWeights weights = test_weights(config, 9);
  Network network(config);

  ModelWeights whole = ModelWeights::zeros(config);
  const double loss = network.run(weights, batch.view(0, 6), &whole, 1.0f / 6, nullptr);
  ModelWeights halves = ModelWeights::zeros(config);
  const double first = network.run(weights, batch.view(0, 4), &halves, 1.0f / 6, nullptr);
  const double second = network.run(weights, batch.view(4, 2), &halves, 1.0f / 6, nullptr);
  CHECK(first + second == Approx(loss).epsilon(1e-5));
  auto a = tensors(whole);
  auto b = tensors(halves);
  for (std::size_t k = 0; k < a.size(); ++k)
    for (Eigen::Index i = 0; i < a[k].second; ++i)
      REQUIRE(b[k].first[i] == Approx(a[k].first[i]).margin(1e-6).epsilon(1e-4));
}

TEST_CASE("Adam's first step moves every parameter by the learning rate against its gradient",
          "[train]") {
  ModelConfig config = tiny_config({"", CellType::SimpleRnn, 1, false, 0.0f});
  ModelWeights weights = ModelWeights::zeros(config);
  ModelWeights grad = ModelWeights::zeros(config);
  grad.head_bias = 0.5f;
  grad.embedding(1, 2) = -3.0f;
  Adam adam(weights, 1e-3f);
  adam.step(weights, grad);
  CHECK(weights.head_bias == Approx(-1e-3f).epsilon(1e-4));
  CHECK(weights.embedding(1, 2) == Approx(1e-3f).epsilon(1e-4));
  CHECK(weights.embedding(0, 0) == 0.0f);
}

TEST_CASE("Adam's weight decay shrinks every weight but the biases by lr·decay", "[train]") {
  ModelConfig config = tiny_config({"", CellType::Gru, 1, false, 0.0f});  // GRU: a recurrent bias too
  ModelWeights weights = ModelWeights::zeros(config);
  for (auto [data, size] : tensors(weights))
    for (Eigen::Index i = 0; i < size; ++i) data[i] = 2.0f;
  const ModelWeights zero_grad = ModelWeights::zeros(config);
  ModelWeights plain = weights;
  Adam adam(weights, 0.01f, 0.9f, 0.999f, 1e-7f, 0.5f);
  adam.step(weights, zero_grad);
  CHECK(weights.embedding(4, 1) == Approx(2.0f * (1 - 0.01f * 0.5f)));
  CHECK(weights.rnn[0].kernel(0, 0) == Approx(1.99f));
  CHECK(weights.rnn[0].recurrent_kernel(2, 1) == Approx(1.99f));
  CHECK(weights.head_kernel(0) == Approx(1.99f));
  CHECK(weights.rnn[0].bias(0) == 2.0f);
  CHECK(weights.rnn[0].recurrent_bias(0) == 2.0f);
  CHECK(weights.head_bias == 2.0f);
  Adam no_decay(plain, 0.01f);
  no_decay.step(plain, zero_grad);
  CHECK(plain.embedding(4, 1) == 2.0f);  // the default decays nothing
}

TEST_CASE("The moving average of the weights warms up, then decays at the given rate", "[train]") {
  ModelConfig config = tiny_config({"", CellType::Lstm, 1, false, 0.0f});
  ModelWeights average = ModelWeights::zeros(config);
  ModelWeights weights = ModelWeights::zeros(config);
  for (auto [data, size] : tensors(weights))
    for (Eigen::Index i = 0; i < size; ++i) data[i] = 1.0f;
  ema_update(average, weights, 0.99f, 1);  // warm-up: d = 2/11
  CHECK(average.embedding(3, 2) == Approx(9.0f / 11));
  CHECK(average.head_bias == Approx(9.0f / 11));
  CHECK(average.rnn[0].recurrent_kernel(1, 5) == Approx(9.0f / 11));
  ModelWeights later = ModelWeights::zeros(config);
  ema_update(later, weights, 0.99f, 10000);  // (1 + t)/(10 + t) > 0.99: d = 0.99
  CHECK(later.embedding(0, 0) == Approx(0.01f));
  CHECK(later.head_kernel(1) == Approx(0.01f));
}

TEST_CASE("Global-norm clipping scales the gradient to the limit", "[train]") {
  ModelConfig config = tiny_config({"", CellType::Lstm, 1, false, 0.0f});
  ModelWeights grad = ModelWeights::zeros(config);
  grad.head_bias = 3.0f;
  grad.embedding(0, 0) = 4.0f;
  CHECK(clip_global_norm(grad, 1.0) == Approx(5.0));
  CHECK(global_norm(grad) == Approx(1.0).epsilon(1e-5));
  CHECK(grad.head_bias == Approx(0.6f));
}

TEST_CASE("Gradients through time: the norm reaching the last state is the head's", "[gradient][train]") {
  for (bool bidirectional : {false, true}) {
    const ModelConfig config = tiny_config({"", CellType::Lstm, 1, bidirectional, 0.0f});
    const TinyBatch batch = tiny_batch(config, 4, 0.0f, 17);
    const ModelWeights weights = test_weights(config, 6);
    Network network(config);
    ModelWeights grad = ModelWeights::zeros(config);
    float p[4];
    network.run(weights, batch.view(0, 4), &grad, 1.0f / 4, p);
    const int steps = config.sequence.maxlen, units = config.units;
    // The forward direction's last state (the backward direction's first) feeds only the head:
    // dLoss/dh = (p - y)/N · w_head (its half), nothing from later steps.
    for (int direction = 0; direction < config.directions(); ++direction) {
      const std::vector<float>& norms = network.state_gradient_norms(0, direction);
      REQUIRE(static_cast<int>(norms.size()) == steps);
      const float w = weights.head_kernel.segment(direction * units, units).norm();
      double expected = 0;
      for (int b = 0; b < 4; ++b) expected += std::abs(p[b] - batch.labels[b]) / 4 * w;
      CHECK(norms[direction == 0 ? steps - 1 : 0] == Approx(expected).epsilon(1e-5));
      for (float norm : norms) CHECK(norm > 0.0f);  // every step is reached
    }
  }
}
