#pragma once
// Probabilities for many reviews across threads: the training network's (validation) and the
// inference Model's (the test report, through the code the page runs).

#include <memory>
#include <thread>
#include <vector>

#include "nn/config.h"
#include "nn/weights.h"
#include "text/vocabulary.h"
#include "train/dataset.h"
#include "train/network.h"

namespace unroll::trainer {

/** Runs fn(worker, begin, end) on `threads` contiguous slices of [0, count), in parallel. */
template <class F>
void parallel_slices(int threads, int count, F fn) {
  if (threads <= 1 || count < 2 * threads) {
    fn(0, 0, count);
    return;
  }
  std::vector<std::thread> workers;
  for (int w = 1; w < threads; ++w) {
    const int begin = count * w / threads, end = count * (w + 1) / threads;
    workers.emplace_back([&fn, w, begin, end] { fn(w, begin, end); });
  }
  fn(0, 0, count / threads);
  for (std::thread& worker : workers) worker.join();
}

/** Batched probabilities of the training network (no dropout), for validation. */
std::vector<float> predict_batched(const ModelConfig& config, const ModelWeights& weights,
                                   const train::Examples& data, int batch_size,
                                   std::vector<std::unique_ptr<train::Network>>& networks);

/** Probabilities from the inference Model (one per thread), on id sequences. */
std::vector<float> predict_with_model(const ModelConfig& config, const ModelWeights& weights,
                                      const Vocabulary& vocabulary,
                                      const std::vector<std::vector<int>>& sequences, int threads);

}  // namespace unroll::trainer
