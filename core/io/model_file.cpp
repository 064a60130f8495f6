#include "io/model_file.h"
#include "io/json_depth.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

namespace unroll {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr const char* kFormat = "unroll-rnn";
constexpr int kFormatVersion = 1;
// The per-row scales of an I8 embedding (EmbeddingStorage::Int8PerRow).
constexpr const char* kEmbeddingScale = "embedding.scale";

/** A JSON object from a metadata string, or why not; never throws (the wasm core cannot catch). */
Result<Json> parse_json_object(std::string_view text, const std::string& what) {
  if (json_nesting_depth(text) > kMaxJsonDepth) {
    return Error{what + " is nested more than " + std::to_string(kMaxJsonDepth) + " levels deep"};
  }
  Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Error{what + " is not valid JSON"};
  if (!json.is_object()) return Error{what + " is not a JSON object"};
  return json;
}

// ---- config ------------------------------------------------------------------------------------

const char* const kConfigKeys[] = {"cell",       "vocab_size",    "embedding_dim", "units",
                                   "layers",     "bidirectional", "maxlen",        "padding",
                                   "truncating", "start_token",   "mask_padding",  "pooling"};

/** Reads the config's keys one by one so that each failure names its key. */
class ConfigReader {
 public:
  ConfigReader(const Json& json, std::string prefix) : json_(json), prefix_(std::move(prefix)) {}

  const Json* get(const char* key) {
    const auto it = json_.find(key);
    if (it == json_.end()) {
      fail("config is missing '" + std::string(key) + "'");
      return nullptr;
    }
    return &*it;
  }

  void read_int(const char* key, int& out) {
    const Json* value = get(key);
    if (!value) return;
    if (!value->is_number_integer())
      return fail("config '" + std::string(key) + "' is not an integer");
    // Compared in 64 bits before narrowing: "vocab_size": 1e12 must not wrap into a small int.
    if (value->is_number_unsigned()) {
      const std::uint64_t v = value->get<std::uint64_t>();
      if (v > static_cast<std::uint64_t>(INT_MAX)) return out_of_range(key);
      out = static_cast<int>(v);
    } else {
      const std::int64_t v = value->get<std::int64_t>();
      if (v < INT_MIN || v > INT_MAX) return out_of_range(key);
      out = static_cast<int>(v);
    }
  }

  void read_bool(const char* key, bool& out) {
    const Json* value = get(key);
    if (!value) return;
    if (!value->is_boolean()) return fail("config '" + std::string(key) + "' is not true or false");
    out = value->get<bool>();
  }

  /** A string naming one value of an enum, parsed by `parse` (parse_side, parse_cell_type, ...). */
  template <class T, class Parse>
  void read_named(const char* key, T& out, Parse parse) {
    const Json* value = get(key);
    if (!value) return;
    if (!value->is_string()) return fail("config '" + std::string(key) + "' is not a string");
    Result<T> parsed = parse(value->get_ref<const std::string&>());
    if (!parsed) return fail("config '" + std::string(key) + "': " + parsed.error());
    out = parsed.value();
  }

  void fail(const std::string& message) {
    if (error_.empty()) error_ = prefix_ + message;
  }
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  void out_of_range(const char* key) { fail("config '" + std::string(key) + "' is out of range"); }

  const Json& json_;
  std::string prefix_;
  std::string error_;
};

Result<ModelConfig> parse_config(std::string_view text, const std::string& prefix) {
  Result<Json> parsed = parse_json_object(text, prefix + "metadata 'config'");
  if (!parsed) return Error{parsed.error()};
  const Json& json = parsed.value();

  ModelConfig config;
  ConfigReader reader(json, prefix);
  reader.read_named("cell", config.cell, parse_cell_type);
  reader.read_int("vocab_size", config.vocab_size);
  reader.read_int("embedding_dim", config.embedding_dim);
  reader.read_int("units", config.units);
  reader.read_int("layers", config.layers);
  reader.read_bool("bidirectional", config.bidirectional);
  reader.read_int("maxlen", config.sequence.maxlen);
  reader.read_named("padding", config.sequence.padding, parse_side);
  reader.read_named("truncating", config.sequence.truncating, parse_side);
  reader.read_bool("start_token", config.sequence.start_token);
  // Optional (absent = false), so that files written before masking existed load unchanged.
  if (json.contains("mask_padding")) reader.read_bool("mask_padding", config.mask_padding);
  if (json.contains("pooling")) reader.read_named("pooling", config.pooling, parse_pooling);  // absent = last
  if (reader.failed()) return Error{reader.error()};
  // Every other key is required, so an unknown one is not a typo that went unnoticed but something a
  // newer writer meant to say; this build would silently ignore it, so it refuses instead.
  for (const auto& item : json.items()) {
    bool known = false;
    for (const char* key : kConfigKeys) known = known || item.key() == key;
    if (!known) return Error{prefix + "config has unknown key '" + item.key() + "'"};
  }
  // validate() bounds every size ("config units is 0, expected 1..4096").
  const Status valid = config.validate();
  if (!valid) return Error{prefix + valid.error()};
  return config;
}

std::string config_json(const ModelConfig& config) {
  OrderedJson json = OrderedJson::object();  // spec order, for people reading the header
  json["cell"] = to_string(config.cell);
  json["vocab_size"] = config.vocab_size;
  json["embedding_dim"] = config.embedding_dim;
  json["units"] = config.units;
  json["layers"] = config.layers;
  json["bidirectional"] = config.bidirectional;
  json["maxlen"] = config.sequence.maxlen;
  json["padding"] = to_string(config.sequence.padding);
  json["truncating"] = to_string(config.sequence.truncating);
  json["start_token"] = config.sequence.start_token;
  // Written only when set: an unmasked model's header stays what it was before the key existed.
  if (config.mask_padding) json["mask_padding"] = true;
  if (config.pooling != Pooling::Last) json["pooling"] = to_string(config.pooling);
  return json.dump();
}

// ---- tensors -----------------------------------------------------------------------------------

/** A tensor the spec requires for a config: name and shape in the file. */
struct ExpectedTensor {
  std::string name;
  std::vector<std::int64_t> shape;
};

/** The spec's tensor list (docs/model-format.md), derived from the config alone. */
std::vector<ExpectedTensor> expected_tensors(const ModelConfig& config) {
  const std::int64_t gate_units = std::int64_t{gate_count(config.cell)} * config.units;
  std::vector<ExpectedTensor> tensors;
  tensors.push_back({"embedding", {config.vocab_size, config.embedding_dim}});
  for (int layer = 0; layer < config.layers; ++layer) {
    for (int direction = 0; direction < config.directions(); ++direction) {
      const auto name = [&](const char* part) {
        return recurrent_tensor_name(layer, direction, part);
      };
      tensors.push_back({name("kernel"), {config.input_dim(layer), gate_units}});
      tensors.push_back({name("recurrent_kernel"), {config.units, gate_units}});
      tensors.push_back({name("bias"), {gate_units}});
      if (config.cell == CellType::Gru) tensors.push_back({name("recurrent_bias"), {gate_units}});
    }
  }
  tensors.push_back({"head.kernel", {config.head_dim(), 1}});
  tensors.push_back({"head.bias", {1}});
  return tensors;
}

/**
 * Calls fn(name, shape, values) for each tensor of `weights` in file order, with the shape the
 * memory actually has. Weights is ModelWeights (reading fills it) or const ModelWeights
 * (writing). Recurrent entries missing from `weights.rnn` are skipped rather than read out of
 * bounds; write_model_file checks shapes before writing, read_model after filling.
 */
template <class Weights, class Fn>
void for_each_tensor(const ModelConfig& config, Weights& weights, Fn fn) {
  fn(std::string("embedding"),
     std::vector<std::int64_t>{weights.embedding.rows(), weights.embedding.cols()},
     weights.embedding.data());
  const int directions = config.directions();
  for (int layer = 0; layer < config.layers; ++layer) {
    for (int direction = 0; direction < directions; ++direction) {
      const std::size_t index = static_cast<std::size_t>(layer) * directions + direction;
      if (index >= weights.rnn.size()) continue;
      auto& w = weights.rnn[index];
      fn(recurrent_tensor_name(layer, direction, "kernel"),
         std::vector<std::int64_t>{w.kernel.rows(), w.kernel.cols()}, w.kernel.data());
      fn(recurrent_tensor_name(layer, direction, "recurrent_kernel"),
         std::vector<std::int64_t>{w.recurrent_kernel.rows(), w.recurrent_kernel.cols()},
         w.recurrent_kernel.data());
      fn(recurrent_tensor_name(layer, direction, "bias"), std::vector<std::int64_t>{w.bias.size()},
         w.bias.data());
      // Only GRU keeps b' apart (it sits inside r ⊙ (…)); the other cells fold it into `bias`.
      if (config.cell == CellType::Gru) {
        fn(recurrent_tensor_name(layer, direction, "recurrent_bias"),
           std::vector<std::int64_t>{w.recurrent_bias.size()}, w.recurrent_bias.data());
      }
    }
  }
  fn(std::string("head.kernel"), std::vector<std::int64_t>{weights.head_kernel.size(), 1},
     weights.head_kernel.data());
  fn(std::string("head.bias"), std::vector<std::int64_t>{1}, &weights.head_bias);
}

}  // namespace

std::string recurrent_tensor_name(int layer, int direction, std::string_view part) {
  std::string name = "rnn." + std::to_string(layer) + (direction == 0 ? ".fwd." : ".bwd.");
  name += part;
  return name;
}

Result<ModelFile> read_model(const std::uint8_t* data, std::size_t size,
                             std::string_view file_name) {
  const std::string prefix = std::string(file_name) + ": ";
  Result<SafetensorsFile> parsed = parse_safetensors(data, size, file_name);
  if (!parsed) return Error{parsed.error()};
  const SafetensorsFile& file = parsed.value();

  const auto metadata = [&](const char* key) -> const std::string* {
    const auto it = file.metadata.find(key);
    return it == file.metadata.end() ? nullptr : &it->second;
  };

  // Format and version first: a file of another kind should be named as such, not reported as
  // a long list of missing tensors.
  const std::string* format = metadata("format");
  if (!format) {
    return Error{prefix + "missing metadata 'format' (expected '" + kFormat +
                 "'); not an Unroll model file"};
  }
  if (*format != kFormat) {
    return Error{prefix + "metadata 'format' is '" + *format + "', expected '" + kFormat + "'"};
  }
  const std::string* version = metadata("format_version");
  if (!version) return Error{prefix + "missing metadata 'format_version'"};
  if (*version != std::to_string(kFormatVersion)) {
    return Error{prefix + "format_version " + *version + " is not supported (this build reads " +
                 std::to_string(kFormatVersion) + ")"};
  }

  ModelFile model;
  const std::string* config_text = metadata("config");
  if (!config_text) return Error{prefix + "missing metadata 'config'"};
  Result<ModelConfig> config = parse_config(*config_text, prefix);
  if (!config) return Error{config.error()};
  model.config = config.value();

  const std::string* vocabulary_text = metadata("vocabulary");
  if (!vocabulary_text) return Error{prefix + "missing metadata 'vocabulary'"};
  Result<Vocabulary> vocabulary = Vocabulary::deserialize(*vocabulary_text);
  if (!vocabulary) return Error{prefix + "vocabulary: " + vocabulary.error()};
  model.vocabulary = std::move(vocabulary).value();
  if (model.vocabulary.words().empty()) return Error{prefix + "vocabulary is empty"};
  if (model.vocabulary.size() != model.config.vocab_size) {
    return Error{prefix + "vocabulary has " + std::to_string(model.vocabulary.words().size()) +
                 " words, config vocab_size " + std::to_string(model.config.vocab_size) +
                 " expects " + std::to_string(model.config.vocab_size - Vocabulary::kFirstWord)};
  }

  if (const std::string* provenance = metadata("provenance")) {
    Result<Json> json = parse_json_object(*provenance, prefix + "metadata 'provenance'");
    if (!json) return Error{json.error()};
    model.provenance = *provenance;  // kept verbatim: it is the trainer's record, not ours
  } else {
    model.provenance = "{}";
  }

  // Shapes are checked against the config before weights are allocated, so the allocation is
  // bounded by the size of the file (a config claiming vocab_size 10^9 fails here, cheaply).
  const std::vector<ExpectedTensor> expected = expected_tensors(model.config);
  for (const ExpectedTensor& want : expected) {
    const TensorView* tensor = file.find(want.name);
    if (!tensor) return Error{prefix + "missing tensor '" + want.name + "'"};
    if (tensor->shape != want.shape) {
      return Error{prefix + "tensor '" + want.name + "' has shape " + shape_string(tensor->shape) +
                   ", expected " + shape_string(want.shape)};
    }
  }
  // An I8 embedding brings its per-row scale; nothing else may be I8 (a quantized tensor without
  // a scale would be read as integers, silently wrong).
  const TensorView* embedding_scale = file.find(kEmbeddingScale);
  const bool int8_embedding = file.find("embedding")->dtype == DType::I8;
  for (const TensorView& tensor : file.tensors) {
    if (tensor.dtype == DType::I8 && tensor.name != "embedding") {
      return Error{prefix + "tensor '" + tensor.name +
                   "' is I8; only the embedding may be stored as I8 (with 'embedding.scale')"};
    }
    bool known = int8_embedding && tensor.name == kEmbeddingScale;
    for (const ExpectedTensor& want : expected) known = known || want.name == tensor.name;
    if (!known) return Error{prefix + "unexpected tensor '" + tensor.name + "'"};
  }
  std::vector<float> row_scales;
  if (int8_embedding) {
    if (!embedding_scale) {
      return Error{prefix + "tensor 'embedding' is I8 but the file has no 'embedding.scale'"};
    }
    const std::vector<std::int64_t> want{model.config.vocab_size};
    if (embedding_scale->shape != want || embedding_scale->dtype != DType::F32) {
      return Error{prefix + "tensor 'embedding.scale' is " + to_string(embedding_scale->dtype) +
                   " " + shape_string(embedding_scale->shape) + ", expected F32 " +
                   shape_string(want)};
    }
    row_scales = embedding_scale->to_floats();
    for (float scale : row_scales) {
      if (!std::isfinite(scale) || scale < 0) {
        return Error{prefix + "tensor 'embedding.scale' holds a negative, NaN or infinite scale"};
      }
    }
  }

  model.weights = ModelWeights::zeros(model.config);
  std::string error;
  for_each_tensor(
      model.config, model.weights,
      [&](const std::string& name, const std::vector<std::int64_t>& shape, float* destination) {
        if (!error.empty()) return;
        const TensorView* tensor = file.find(name);
        if (!tensor || tensor->shape != shape) {
          // zeros() disagrees with the spec: a bug in this build, not in the file.
          error = prefix + "internal error: tensor '" + name + "' has shape " +
                  shape_string(shape) + " in memory";
          return;
        }
        std::vector<float> values = tensor->to_floats();
        if (name == "embedding" && int8_embedding) {
          const std::size_t width = static_cast<std::size_t>(model.config.embedding_dim);
          for (std::size_t i = 0; i < values.size(); ++i) values[i] *= row_scales[i / width];
        }
        for (float value : values) {
          if (!std::isfinite(value)) {
            error = prefix + "tensor '" + name + "' contains NaN or infinite values";
            return;
          }
        }
        std::copy(values.begin(), values.end(), destination);
      });
  if (!error.empty()) return Error{error};
  const Status shapes = model.weights.check_shapes(model.config);
  if (!shapes) return Error{prefix + shapes.error()};
  return model;
}

Result<ModelFile> read_model_file(const std::string& path) {
  // A directory opens fine as a stream on Linux, and its reported size can be LLONG_MAX, so it
  // is refused by name instead of being sized with tellg().
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    return Error{path + ": cannot open file (" + std::strerror(errno) + ")"};
  }
  if (S_ISDIR(info.st_mode)) return Error{path + ": is a directory, not a model file"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot open file (" + std::strerror(errno) + ")"};
  // Read in chunks rather than trusting a size up front (pipes and special files have none).
  std::vector<std::uint8_t> bytes;
  if (S_ISREG(info.st_mode) && info.st_size > 0)
    bytes.reserve(static_cast<std::size_t>(info.st_size));
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    bytes.insert(bytes.end(), chunk, chunk + in.gcount());
  }
  if (in.bad()) return Error{path + ": cannot read file"};
  return read_model(bytes.data(), bytes.size(), path);
}

namespace {

/** The I8 codes and per-row scales of an embedding (EmbeddingStorage::Int8PerRow). */
struct QuantizedRows {
  std::vector<float> codes;   // integers in [-127, 127], as floats for write_safetensors
  std::vector<float> scales;  // one per row
};

QuantizedRows quantize_rows(const Matrix& matrix) {
  QuantizedRows out;
  out.codes.resize(static_cast<std::size_t>(matrix.size()));
  out.scales.resize(static_cast<std::size_t>(matrix.rows()));
  for (Eigen::Index r = 0; r < matrix.rows(); ++r) {
    const float largest = matrix.row(r).cwiseAbs().maxCoeff();
    const float scale = largest / 127.0f;
    out.scales[static_cast<std::size_t>(r)] = scale;
    for (Eigen::Index c = 0; c < matrix.cols(); ++c) {
      const float code = scale > 0 ? std::nearbyint(matrix(r, c) / scale) : 0.0f;
      out.codes[static_cast<std::size_t>(r * matrix.cols() + c)] = std::clamp(code, -127.0f, 127.0f);
    }
  }
  return out;
}

}  // namespace

std::string write_model(const ModelFile& model, DType dtype, EmbeddingStorage embedding) {
  std::map<std::string, std::string> metadata;
  metadata["format"] = kFormat;
  metadata["format_version"] = std::to_string(kFormatVersion);
  metadata["config"] = config_json(model.config);
  metadata["vocabulary"] = model.vocabulary.serialize();
  metadata["provenance"] = model.provenance.empty() ? "{}" : model.provenance;

  const bool int8 = embedding == EmbeddingStorage::Int8PerRow && model.weights.embedding.cols() > 0;
  const QuantizedRows quantized = int8 ? quantize_rows(model.weights.embedding) : QuantizedRows{};
  std::vector<TensorToWrite> tensors;
  for_each_tensor(
      model.config, model.weights,
      [&](const std::string& name, const std::vector<std::int64_t>& shape, const float* values) {
        if (int8 && name == "embedding") {
          tensors.push_back({name, shape, quantized.codes.data(), DType::I8});
          tensors.push_back({kEmbeddingScale, {shape[0]}, quantized.scales.data(), DType::F32});
        } else {
          tensors.push_back({name, shape, values, dtype});
        }
      });
  return write_safetensors(tensors, metadata);
}

Status write_model_file(const std::string& path, const ModelFile& model, DType dtype,
                        EmbeddingStorage embedding) {
  // Refuse to write what read_model would refuse to read.
  const Status valid = model.config.validate();
  if (!valid) return Error{path + ": cannot write: " + valid.error()};
  const Status shapes = model.weights.check_shapes(model.config);
  if (!shapes) return Error{path + ": cannot write: " + shapes.error()};
  if (model.vocabulary.words().empty() || model.vocabulary.size() != model.config.vocab_size) {
    return Error{path + ": cannot write: vocabulary has " +
                 std::to_string(model.vocabulary.words().size()) + " words, config vocab_size " +
                 std::to_string(model.config.vocab_size) + " expects " +
                 std::to_string(model.config.vocab_size - Vocabulary::kFirstWord)};
  }
  if (!model.provenance.empty()) {
    Result<Json> provenance = parse_json_object(model.provenance, "provenance");
    if (!provenance) return Error{path + ": cannot write: " + provenance.error()};
  }

  std::string bad_values;
  for_each_tensor(
      model.config, model.weights,
      [&](const std::string& name, const std::vector<std::int64_t>& shape, const float* values) {
        std::int64_t count = 1;
        for (std::int64_t dim : shape) count *= dim;
        for (std::int64_t i = 0; i < count && bad_values.empty(); ++i) {
          if (!std::isfinite(values[i])) {
            bad_values = "tensor '" + name + "' contains NaN or infinite values";
          } else if (dtype == DType::F16 && std::fabs(values[i]) >= 65520.0f) {
            // Would round to infinity, which read_model rejects.
            bad_values = "tensor '" + name + "' has values beyond the F16 range (" +
                         std::to_string(values[i]) + ")";
          }
        }
      });
  if (!bad_values.empty()) return Error{path + ": cannot write: " + bad_values};

  if (dtype == DType::I8) return Error{path + ": cannot write: I8 is for the embedding only"};
  const std::string bytes = write_model(model, dtype, embedding);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Error{path + ": cannot create file (" + std::strerror(errno) + ")"};
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Error{path + ": cannot write file"};
  return Status::success();
}

}  // namespace unroll
