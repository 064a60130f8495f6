#include "predict.h"

#include <algorithm>
#include <cstdint>

#include "nn/model.h"

namespace unroll::trainer {

/** Batched probabilities of the training network (no dropout), for validation. */
std::vector<float> predict_batched(const ModelConfig& config, const ModelWeights& weights,
                                   const train::Examples& data, int batch_size,
                                   std::vector<std::unique_ptr<train::Network>>& networks) {
  const int threads = static_cast<int>(networks.size());
  std::vector<float> probabilities(data.count());
  parallel_slices(threads, data.count(), [&](int w, int begin, int end) {
    std::vector<const std::int32_t*> rows;
    for (int first = begin; first < end; first += batch_size) {
      const int count = std::min(batch_size, end - first);
      rows.clear();
      for (int i = first; i < first + count; ++i) rows.push_back(data.row(i));
      const train::StepWindow window = train::batch_window(config, rows.data(), count, data.steps);
      train::BatchView view;
      view.sequences = rows.data();
      view.labels = data.labels.data() + first;
      view.count = count;
      view.steps = window.end - window.first;
      networks[w]->run(weights, view, nullptr, 1.0f, probabilities.data() + first);
    }
  });
  return probabilities;
}

/** Probabilities from the inference Model (one per thread), on id sequences. */
std::vector<float> predict_with_model(const ModelConfig& config, const ModelWeights& weights,
                                      const Vocabulary& vocabulary,
                                      const std::vector<std::vector<int>>& sequences, int threads) {
  std::vector<float> probabilities(sequences.size());
  parallel_slices(threads, static_cast<int>(sequences.size()), [&](int, int begin, int end) {
    Model model = std::move(Model::create(config, weights, vocabulary)).value();
    for (int i = begin; i < end; ++i) probabilities[i] = model.predict(sequences[i]);
  });
  return probabilities;
}

}  // namespace unroll::trainer
