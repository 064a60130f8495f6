// Re-encodes a model file's embedding as int8 with a per-row scale (docs/model-format.md,
// EmbeddingStorage::Int8PerRow), keeping every other tensor's dtype, and measures what it costs:
// the test accuracy before and after, through the inference Model. The embedding is most of a
// model's download, and one byte a weight keeps the verdicts (docs/models.md has the figures).
//
//   build/native-release/tools/quantize models/seed-rnn.safetensors models/seed-rnn.safetensors \
//       --data data/aclImdb --max-drop 0.2
//
// The provenance gains "embedding_dtype": "I8", "test_accuracy" becomes the quantized file's and
// the former one is kept as "test_accuracy_before_int8". Refuses (exit 1, nothing written) when
// the accuracy falls by more than --max-drop points.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/model_file.h"
#include "review_probabilities.h"
#include "train/dataset.h"
#include "train/metrics.h"

using namespace unroll;

namespace {

Result<double> test_accuracy(const ModelFile& model, const std::vector<train::Review>& reviews,
                             const std::vector<float>& labels, int threads) {
  Result<std::vector<float>> probabilities = tools::review_probabilities(model, reviews, threads);
  if (!probabilities) return Error{probabilities.error()};
  return train::binary_metrics(probabilities.value(), labels).accuracy;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Stores a model's embedding as int8 with a per-row scale"};
  std::string input, output, data_dir = "data/aclImdb";
  int threads = 2;
  double max_drop = 0.2;
  app.add_option("input", input, "model file (.safetensors)")->required();
  app.add_option("output", output, "where to write (may be the input)")->required();
  app.add_option("--data", data_dir, "aclImdb folder (its test split is read)")->capture_default_str();
  app.add_option("--threads", threads, "threads (one Model each)")->capture_default_str();
  app.add_option("--max-drop", max_drop, "largest accuracy drop accepted, in points")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  threads = std::max(1, threads);

  Result<ModelFile> original = read_model_file(input);
  if (!original) return std::cerr << "quantize: " << original.error() << "\n", 1;
  nlohmann::json provenance = nlohmann::json::parse(original.value().provenance, nullptr, false);
  if (!provenance.is_object()) provenance = nlohmann::json::object();
  const std::string dtype = provenance.value("dtype", std::string("F32"));
  const DType weights_dtype = dtype == "F16" ? DType::F16 : DType::F32;

  // Quantized in memory by a write and a read, so what is measured is what the file will hold.
  const std::string bytes = write_model(original.value(), weights_dtype, EmbeddingStorage::Int8PerRow);
  Result<ModelFile> quantized =
      read_model(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), output);
  if (!quantized) return std::cerr << "quantize: " << quantized.error() << "\n", 1;

  Result<std::vector<train::Review>> reviews = train::read_split(data_dir, "test");
  if (!reviews) return std::cerr << "quantize: " << reviews.error() << "\n", 1;
  std::vector<float> labels;
  for (const train::Review& review : reviews.value()) labels.push_back(static_cast<float>(review.label));
  Result<double> before = test_accuracy(original.value(), reviews.value(), labels, threads);
  Result<double> after = test_accuracy(quantized.value(), reviews.value(), labels, threads);
  if (!before || !after) return std::cerr << "quantize: " << (before ? after.error() : before.error()) << "\n", 1;
  std::printf("%s: test accuracy %.4f (%s embedding) → %.4f (I8 embedding), %zu reviews\n", input.c_str(),
              before.value(), dtype.c_str(), after.value(), reviews.value().size());
  if ((before.value() - after.value()) * 100 > max_drop) {
    std::cerr << "quantize: accuracy falls by more than " << max_drop << " points; nothing written\n";
    return 1;
  }

  provenance["embedding_dtype"] = "I8";
  provenance["test_accuracy_before_int8"] = before.value();
  provenance["test_accuracy"] = after.value();
  ModelFile result = std::move(quantized).value();
  result.provenance = provenance.dump();
  if (Status s = write_model_file(output, result, weights_dtype, EmbeddingStorage::Int8PerRow); !s) {
    return std::cerr << "quantize: " << s.error() << "\n", 1;
  }
  std::printf("wrote %s\n", output.c_str());
  return 0;
}
