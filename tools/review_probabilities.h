#pragma once
// Probabilities for many reviews through the core's inference Model, across threads: text →
// tokens → ids → probability, exactly as the page computes them (tools/evaluate, tools/quantize).

#include <string>
#include <thread>
#include <vector>

#include "io/model_file.h"
#include "nn/model.h"
#include "text/sequence.h"
#include "text/tokenizer.h"
#include "train/dataset.h"
#include "util/result.h"

namespace unroll::tools {

/** One probability per review (one Model per thread, contiguous slices), or the Model's error. */
inline Result<std::vector<float>> review_probabilities(const ModelFile& m,
                                                       const std::vector<train::Review>& reviews,
                                                       int threads) {
  std::vector<float> probabilities(reviews.size());
  std::vector<std::thread> workers;
  std::vector<std::string> errors(threads);
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&, w] {
      Result<Model> model = Model::create(m.config, m.weights, m.vocabulary);
      if (!model) {
        errors[w] = model.error();
        return;
      }
      const std::size_t begin = reviews.size() * w / threads, end = reviews.size() * (w + 1) / threads;
      for (std::size_t i = begin; i < end; ++i) {
        const Sequence sequence = make_sequence(tokenize(reviews[i].text), m.vocabulary, m.config.sequence);
        probabilities[i] = model.value().predict(sequence.ids);
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  if (!errors[0].empty()) return Error{errors[0]};
  return probabilities;
}

}  // namespace unroll::tools
