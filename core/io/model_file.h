#pragma once
// One file holds a model: configuration, vocabulary, weights and provenance (docs/model-format.md).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "io/safetensors.h"
#include "nn/config.h"
#include "nn/weights.h"
#include "text/vocabulary.h"
#include "util/result.h"

namespace unroll {

struct ModelFile {
  ModelConfig config;
  ModelWeights weights;
  Vocabulary vocabulary;
  // A JSON object as text: where the weights came from (data checksum, command line, seed,
  // epochs, accuracies, training time). Free-form for the core; "{}" when unknown.
  std::string provenance = "{}";
};

/**
 * Reads and validates a model held in memory. Every failure is a message that starts with
 * `file_name` and names the tensor, key or size that was wrong, e.g.
 * "model.safetensors: tensor 'rnn.0.fwd.kernel' has shape [64,64], expected [100,64]".
 * Rejects NaN or infinite weights. An I8 embedding needs its F32 "embedding.scale" (finite, ≥ 0);
 * no other tensor may be I8.
 */
Result<ModelFile> read_model(const std::uint8_t* data, std::size_t size, std::string_view file_name);
/** Reads a file from disk (native builds and node tests). */
Result<ModelFile> read_model_file(const std::string& path);

/**
 * How the embedding is stored. It is most of a model's bytes (10,000 words × 100 for the
 * tutorial's), and one byte a weight with a scale per word keeps the accuracy (docs/models.md).
 * - SameAsWeights: like every other tensor, in the file's dtype.
 * - Int8PerRow: tensor "embedding" as I8, q = round(w / s_r), and tensor "embedding.scale"
 *   [vocab_size] as F32, s_r = max_j |w_rj| / 127 (0 for an all-zero row); read back as q · s_r.
 *   Writing what was read writes the same bytes again (the largest |q| of a row is 127).
 */
enum class EmbeddingStorage { SameAsWeights, Int8PerRow };

/**
 * Serialises a model; weights stored as `dtype`. read_model(write_model(m)) == m bit for bit for
 * F32; for F16 every weight comes back as half_to_float(float_to_half(w)). The model is written
 * as given (provenance verbatim, "{}" if empty): write_model_file is the checked variant.
 */
std::string write_model(const ModelFile& model, DType dtype = DType::F32,
                        EmbeddingStorage embedding = EmbeddingStorage::SameAsWeights);
/** Checks config, shapes, vocabulary size and provenance first, then writes `path`. */
Status write_model_file(const std::string& path, const ModelFile& model, DType dtype = DType::F32,
                        EmbeddingStorage embedding = EmbeddingStorage::SameAsWeights);

/** Tensor names, so that writers in other languages (tests/fixtures/make_fixtures.py) agree. */
std::string recurrent_tensor_name(int layer, int direction, std::string_view part);  // "rnn.0.fwd.kernel"

}  // namespace unroll
