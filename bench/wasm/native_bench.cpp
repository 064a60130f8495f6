// Native counterpart of bench/wasm/bench.mjs: microseconds per forward pass of the core, with
// the full trace and logit only, for a model file and a review of N words from its vocabulary.
// Usage: native_bench MODEL.safetensors WORDS [REPEATS]      prints one JSON line.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "io/model_file.h"
#include "kernels/kernels.h"
#include "nn/model.h"
#include "text/sequence.h"

using namespace unroll;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s MODEL.safetensors WORDS [REPEATS]\n", argv[0]);
    return 2;
  }
  Result<ModelFile> file = read_model_file(argv[1]);
  if (!file) {
    std::fprintf(stderr, "%s\n", file.error().c_str());
    return 1;
  }
  const int words = std::atoi(argv[2]);
  const int repeats = argc > 3 ? std::atoi(argv[3]) : 2000;
  ModelFile& loaded = file.value();
  Result<Model> created = Model::create(loaded.config, std::move(loaded.weights), loaded.vocabulary);
  if (!created) {
    std::fprintf(stderr, "%s\n", created.error().c_str());
    return 1;
  }
  Model model = std::move(created).value();
  // The same words bench.mjs uses: vocabulary ids 3, 3 + 7919, 3 + 2·7919, … (mod the vocabulary).
  std::vector<int> ids;
  const int vocabulary_words = model.config().vocab_size - Vocabulary::kFirstWord;
  for (int i = 0; i < words; ++i) ids.push_back(Vocabulary::kFirstWord + static_cast<int>((7919LL * i) % vocabulary_words));
  const std::vector<int> sequence = make_sequence(ids, model.config().sequence).ids;

  using Clock = std::chrono::steady_clock;
  auto time = [&](bool trace) {
    Trace record;
    volatile float sink = 0.0f;
    model.trace(sequence, record);
    double best = 1e300;
    for (int batch = 0; batch < 5; ++batch) {  // the machine may be shared: best of 5 batches
      const auto start = Clock::now();
      for (int i = 0; i < repeats; ++i) {
        if (trace) {
          model.trace(sequence, record);
          sink = sink + record.logit;
        } else {
          sink = sink + model.logit(sequence);
        }
      }
      best = std::min(best, std::chrono::duration<double, std::micro>(Clock::now() - start).count() / repeats);
    }
    return best;
  };
  const double trace_us = time(true);
  const double logit_us = time(false);
  std::printf("{\"backend\":\"%s\",\"steps\":%zu,\"traceUs\":%.3f,\"logitUs\":%.3f}\n", kernels::backend_name(),
              sequence.size(), trace_us, logit_us);
  return 0;
}
