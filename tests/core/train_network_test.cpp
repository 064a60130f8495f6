// The trainer's batched forward pass must give the inference Model's predictions: weights trained
// through one are served through the other.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "nn/model.h"
#include "train/network.h"
#include "train/initialize.h"

using namespace unroll;
using namespace unroll::train;

// Every head (final states, mean, max) with and without masking: the random ids include the
// padding id 0, which a masked Network masks and a masked Model does not run.
TEST_CASE("Training forward pass agrees with the inference Model", "[train]") {
  const CellType cells[] = {CellType::SimpleRnn, CellType::Lstm, CellType::Gru};
  for (CellType cell : cells) {
    for (bool bidirectional : {false, true}) {
    for (Pooling pooling : {Pooling::Last, Pooling::Mean, Pooling::Max}) {
    for (bool masked : {false, true}) {
      ModelConfig config;
      config.pooling = pooling;
      config.mask_padding = masked;
      config.cell = cell;
      config.vocab_size = 12;
      config.embedding_dim = 4;
      config.units = 5;
      config.layers = 2;
      config.bidirectional = bidirectional;
      config.sequence.maxlen = 7;
      ModelWeights weights = train::random_weights(config, 3);
      weights.head_bias = 0.1f;
      std::vector<std::string> words;
      for (int i = 3; i < config.vocab_size; ++i) words.push_back("w" + std::to_string(i));
      Model model =
          std::move(Model::create(config, weights, Vocabulary::from_words(words).value())).value();

      std::mt19937 rng(1);
      std::uniform_int_distribution<int> id(0, config.vocab_size - 1);
      std::vector<std::vector<std::int32_t>> ids(5, std::vector<std::int32_t>(7));
      std::vector<const std::int32_t*> pointers;
      for (auto& sequence : ids) {
        for (auto& x : sequence) x = id(rng);
        pointers.push_back(sequence.data());
      }
      std::vector<float> labels(5, 1.0f), probabilities(5);
      BatchView batch;
      batch.sequences = pointers.data();
      batch.labels = labels.data();
      batch.count = 5;
      batch.steps = 7;
      Network network(config);
      network.run(weights, batch, nullptr, 1.0f, probabilities.data());
      for (int b = 0; b < 5; ++b) {
        INFO(to_string(cell) << (bidirectional ? " bidirectional" : "") << (masked ? " masked" : "") << ", pooling "
                             << to_string(pooling) << ", sequence " << b);
        const std::vector<int> sequence(ids[b].begin(), ids[b].end());
        CHECK(probabilities[b] == Approx(model.predict(sequence)).margin(2e-5));
      }
    }
    }
    }
  }
}
