// The model file: exact round trips for every architecture, and a message for every way a file
// can disagree with docs/model-format.md.

#include "io/model_file.h"
#include "train/initialize.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace unroll {
namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

constexpr const char* kName = "model.safetensors";

std::uint32_t bits_of(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

ModelConfig make_config(CellType cell, int layers, bool bidirectional) {
  ModelConfig config;
  config.cell = cell;
  config.vocab_size = 12;
  config.embedding_dim = 5;
  config.units = 4;
  config.layers = layers;
  config.bidirectional = bidirectional;
  config.sequence.maxlen = 17;
  config.sequence.padding = Side::Post;
  config.sequence.truncating = Side::Pre;
  config.sequence.start_token = false;
  return config;
}

Vocabulary make_vocabulary(int words) {
  std::vector<std::string> list;
  for (int i = 0; i < words; ++i) list.push_back("w" + std::to_string(i));
  Result<Vocabulary> vocabulary = Vocabulary::from_words(list);
  REQUIRE(vocabulary.ok());
  return std::move(vocabulary).value();
}

/** A valid model with random (non-zero) weights, biases included. */
ModelFile make_model(CellType cell = CellType::Lstm, int layers = 1, bool bidirectional = false) {
  ModelFile model;
  model.config = make_config(cell, layers, bidirectional);
  model.weights = train::random_weights(model.config, 7);
  // random() zeroes biases; fill them so that a swapped or dropped bias would be noticed.
  float next = 0.25f;
  for (RecurrentWeights& r : model.weights.rnn) {
    for (Eigen::Index i = 0; i < r.bias.size(); ++i) r.bias[i] = (next += 0.125f);
    for (Eigen::Index i = 0; i < r.recurrent_bias.size(); ++i)
      r.recurrent_bias[i] = -(next += 0.5f);
  }
  model.weights.head_bias = -0.375f;
  model.vocabulary = make_vocabulary(model.config.vocab_size - Vocabulary::kFirstWord);
  model.provenance = R"({"seed":7,"command":"unroll-train --epochs 2","accuracy":0.5})";
  return model;
}

std::string write(const ModelFile& model, DType dtype = DType::F32) {
  return write_model(model, dtype);
}

Result<ModelFile> read(const std::string& bytes) {
  return read_model(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), kName);
}

std::string read_error(const std::string& bytes) {
  Result<ModelFile> result = read(bytes);
  REQUIRE_FALSE(result.ok());
  return result.error();
}

void require_same_bits(const float* a, const float* b, Eigen::Index count,
                       const std::string& what) {
  for (Eigen::Index i = 0; i < count; ++i) {
    INFO(what << "[" << i << "]");
    REQUIRE(bits_of(a[i]) == bits_of(b[i]));
  }
}

template <class M>
void require_same(const M& actual, const M& expected, const std::string& what) {
  INFO(what);
  REQUIRE(actual.rows() == expected.rows());
  REQUIRE(actual.cols() == expected.cols());
  require_same_bits(actual.data(), expected.data(), actual.size(), what);
}

/** Every weight of `actual` equals `expected` passed through `round` (identity for F32). */
template <class Round>
void require_weights(const ModelWeights& actual, const ModelWeights& expected, Round round) {
  const auto rounded = [&](auto m) {
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = round(m.data()[i]);
    return m;
  };
  require_same(actual.embedding, rounded(expected.embedding), "embedding");
  REQUIRE(actual.rnn.size() == expected.rnn.size());
  for (std::size_t i = 0; i < actual.rnn.size(); ++i) {
    const std::string at = "rnn[" + std::to_string(i) + "].";
    require_same(actual.rnn[i].kernel, rounded(expected.rnn[i].kernel), at + "kernel");
    require_same(actual.rnn[i].recurrent_kernel, rounded(expected.rnn[i].recurrent_kernel),
                 at + "recurrent_kernel");
    require_same(actual.rnn[i].bias, rounded(expected.rnn[i].bias), at + "bias");
    require_same(actual.rnn[i].recurrent_bias, rounded(expected.rnn[i].recurrent_bias),
                 at + "recurrent_bias");
  }
  require_same(actual.head_kernel, rounded(expected.head_kernel), "head_kernel");
  REQUIRE(bits_of(actual.head_bias) == bits_of(round(expected.head_bias)));
}

void require_same_config(const ModelConfig& a, const ModelConfig& b) {
  CHECK(a.cell == b.cell);
  CHECK(a.vocab_size == b.vocab_size);
  CHECK(a.embedding_dim == b.embedding_dim);
  CHECK(a.units == b.units);
  CHECK(a.layers == b.layers);
  CHECK(a.bidirectional == b.bidirectional);
  CHECK(a.sequence.maxlen == b.sequence.maxlen);
  CHECK(a.sequence.padding == b.sequence.padding);
  CHECK(a.sequence.truncating == b.sequence.truncating);
  CHECK(a.sequence.start_token == b.sequence.start_token);
}

/**
 * A model file taken apart into metadata and tensors that own their values, so that a test can
 * break one thing and write it back with write_safetensors.
 */
struct Parts {
  struct Tensor {
    std::string name;
    std::vector<std::int64_t> shape;
    std::vector<float> values;
    DType dtype = DType::F32;
  };
  std::map<std::string, std::string> metadata;
  std::vector<Tensor> tensors;

  explicit Parts(const ModelFile& model, DType dtype = DType::F32) {
    const std::string bytes = write(model, dtype);
    Result<SafetensorsFile> file =
        parse_safetensors(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), kName);
    REQUIRE(file.ok());
    metadata = file.value().metadata;
    config_ = metadata.at("config");
    for (const TensorView& view : file.value().tensors) {
      tensors.push_back({view.name, view.shape, view.to_floats(), view.dtype});
    }
  }

  Tensor& tensor(const std::string& name) {
    for (Tensor& t : tensors) {
      if (t.name == name) return t;
    }
    FAIL("no tensor " << name);
    return tensors.front();
  }

  void remove(const std::string& name) {
    for (auto it = tensors.begin(); it != tensors.end(); ++it) {
      if (it->name == name) {
        tensors.erase(it);
        return;
      }
    }
    FAIL("no tensor " << name);
  }

  /** The original config with one key changed (earlier changes are not carried over). */
  std::string config_with(const std::string& key, const nlohmann::json& value) const {
    nlohmann::json config = nlohmann::json::parse(config_);
    config[key] = value;
    return config.dump();
  }

  std::string config_without(const std::string& key) const {
    nlohmann::json config = nlohmann::json::parse(config_);
    config.erase(key);
    return config.dump();
  }

  std::string bytes() const {
    std::vector<TensorToWrite> out;
    for (const Tensor& t : tensors) out.push_back({t.name, t.shape, t.values.data(), t.dtype});
    return write_safetensors(out, metadata);
  }

 private:
  std::string config_;
};

std::vector<std::string> tensor_names(const std::string& bytes) {
  Result<SafetensorsFile> file =
      parse_safetensors(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), kName);
  REQUIRE(file.ok());
  std::vector<std::string> names;
  for (const TensorView& view : file.value().tensors) names.push_back(view.name);
  return names;
}

}  // namespace

// ---- round trips
// ----------------------------------------------------------------------------------

TEST_CASE("recurrent_tensor_name follows the spec", "[model_file]") {
  CHECK(recurrent_tensor_name(0, 0, "kernel") == "rnn.0.fwd.kernel");
  CHECK(recurrent_tensor_name(1, 1, "recurrent_kernel") == "rnn.1.bwd.recurrent_kernel");
  CHECK(recurrent_tensor_name(12, 0, "recurrent_bias") == "rnn.12.fwd.recurrent_bias");
}

TEST_CASE("write_model then read_model is exact in F32", "[model_file]") {
  const CellType cell = GENERATE(CellType::SimpleRnn, CellType::Lstm, CellType::Gru);
  const int layers = GENERATE(1, 2, 3);
  const bool bidirectional = GENERATE(false, true);
  CAPTURE(to_string(cell), layers, bidirectional);
  const ModelFile model = make_model(cell, layers, bidirectional);
  Result<ModelFile> back = read(write(model));
  REQUIRE(back.ok());
  require_same_config(back.value().config, model.config);
  CHECK(back.value().vocabulary.words() == model.vocabulary.words());
  CHECK(back.value().provenance == model.provenance);
  require_weights(back.value().weights, model.weights, [](float x) { return x; });
  // Writing again gives the same bytes: nothing depends on hash order or uninitialised padding.
  CHECK(write(back.value()) == write(model));
}

TEST_CASE("write_model then read_model in F16 gives the half-rounded weights", "[model_file]") {
  const CellType cell = GENERATE(CellType::SimpleRnn, CellType::Lstm, CellType::Gru);
  const bool bidirectional = GENERATE(false, true);
  CAPTURE(to_string(cell), bidirectional);
  ModelFile model = make_model(cell, 2, bidirectional);
  model.weights.embedding(3, 1) = 1e-7f;                         // subnormal in half
  model.weights.embedding(4, 2) = 1.0f + std::ldexp(1.0f, -11);  // a tie
  const std::string bytes = write(model, DType::F16);
  CHECK(bytes.size() < write(model, DType::F32).size());
  Result<ModelFile> back = read(bytes);
  REQUIRE(back.ok());
  require_same_config(back.value().config, model.config);
  require_weights(back.value().weights, model.weights,
                  [](float x) { return half_to_float(float_to_half(x)); });
  CHECK(back.value().weights.embedding(4, 2) == 1.0f);
}

TEST_CASE("an int8 embedding is stored with a per-row scale and read back as q · scale",
          "[model_file]") {
  const CellType cell = GENERATE(CellType::SimpleRnn, CellType::Lstm, CellType::Gru);
  const DType dtype = GENERATE(DType::F32, DType::F16);
  CAPTURE(to_string(cell), to_string(dtype));
  ModelFile model = make_model(cell, 2, true);
  model.weights.embedding.row(5).setZero();  // an all-zero row has scale 0 and stays zero
  const std::string bytes = write_model(model, dtype, EmbeddingStorage::Int8PerRow);
  // With 5 weights a row, a 4-byte scale saves nothing over F16; over F32 it does.
  if (dtype == DType::F32) CHECK(bytes.size() < write(model, dtype).size());

  Result<SafetensorsFile> file =
      parse_safetensors(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), kName);
  REQUIRE(file.ok());
  const TensorView* codes = file.value().find("embedding");
  const TensorView* scales = file.value().find("embedding.scale");
  REQUIRE(codes);
  REQUIRE(scales);
  CHECK(codes->dtype == DType::I8);
  CHECK(scales->dtype == DType::F32);
  CHECK(scales->shape == std::vector<std::int64_t>{model.config.vocab_size});
  CHECK(file.value().find("head.kernel")->dtype == dtype);

  Result<ModelFile> back = read(bytes);
  REQUIRE(back.ok());
  const Matrix& original = model.weights.embedding;
  const Matrix& read_back = back.value().weights.embedding;
  const std::vector<float> q = codes->to_floats();
  const std::vector<float> s = scales->to_floats();
  for (Eigen::Index r = 0; r < original.rows(); ++r) {
    const float largest = original.row(r).cwiseAbs().maxCoeff();
    INFO("row " << r);
    CHECK(s[r] == largest / 127.0f);
    for (Eigen::Index c = 0; c < original.cols(); ++c) {
      const float code = q[r * original.cols() + c];
      CHECK(read_back(r, c) == code * s[r]);
      // Rounding to the nearest code: at most half a step away.
      CHECK(std::fabs(read_back(r, c) - original(r, c)) <= 0.5f * s[r] * (1 + 1e-5f));
    }
  }
  CHECK(read_back.row(5).isZero(0));
  // The other tensors are untouched by the embedding's storage.
  Result<ModelFile> plain = read(write(model, dtype));
  REQUIRE(plain.ok());
  require_same(back.value().weights.rnn[1].kernel, plain.value().weights.rnn[1].kernel, "kernel");
  // Quantizing what was read gives the same file again.
  CHECK(write_model(back.value(), dtype, EmbeddingStorage::Int8PerRow) == bytes);
}

TEST_CASE("read_model refuses int8 tensors it cannot scale", "[model_file]") {
  const ModelFile model = make_model(CellType::Lstm, 1, false);
  const std::string good = write_model(model, DType::F32, EmbeddingStorage::Int8PerRow);
  Result<SafetensorsFile> file =
      parse_safetensors(reinterpret_cast<const std::uint8_t*>(good.data()), good.size(), kName);
  REQUIRE(file.ok());
  // Parts of the int8 file, rebuilt by hand so one thing at a time can be broken.
  struct Tensor {
    std::string name;
    std::vector<std::int64_t> shape;
    std::vector<float> values;
    DType dtype;
  };
  std::vector<Tensor> tensors;
  for (const TensorView& view : file.value().tensors) {
    tensors.push_back({view.name, view.shape, view.to_floats(), view.dtype});
  }
  const auto find = [&](const std::string& name) -> Tensor& {
    for (Tensor& t : tensors) {
      if (t.name == name) return t;
    }
    FAIL("no tensor " << name);
    return tensors.front();
  };
  const auto bytes = [&] {
    std::vector<TensorToWrite> out;
    for (const Tensor& t : tensors) out.push_back({t.name, t.shape, t.values.data(), t.dtype});
    return write_safetensors(out, file.value().metadata);
  };
  REQUIRE(read(bytes()).ok());

  SECTION("no scale") {
    tensors.erase(std::find_if(tensors.begin(), tensors.end(),
                               [](const Tensor& t) { return t.name == "embedding.scale"; }));
    CHECK(read_error(bytes()) ==
          std::string(kName) + ": tensor 'embedding' is I8 but the file has no 'embedding.scale'");
  }
  SECTION("a scale of the wrong shape or dtype") {
    find("embedding.scale").shape = {3, 4};
    CHECK_THAT(read_error(bytes()), Contains("tensor 'embedding.scale' is F32 [3,4], expected F32 [12]"));
    find("embedding.scale").shape = {12};
    find("embedding.scale").dtype = DType::F16;
    find("embedding.scale").values.resize(12);
    CHECK_THAT(read_error(bytes()), Contains("tensor 'embedding.scale' is F16 [12], expected F32 [12]"));
  }
  SECTION("a negative or NaN scale") {
    find("embedding.scale").values[2] = GENERATE(-1.0f, std::numeric_limits<float>::quiet_NaN());
    CHECK_THAT(read_error(bytes()), Contains("negative, NaN or infinite scale"));
  }
  SECTION("a scale beside an embedding that is not I8") {
    Tensor& embedding = find("embedding");
    embedding.dtype = DType::F32;
    CHECK(read_error(bytes()) == std::string(kName) + ": unexpected tensor 'embedding.scale'");
  }
  SECTION("another tensor stored as I8") {
    find("head.kernel").dtype = DType::I8;
    CHECK_THAT(read_error(bytes()),
               Contains("tensor 'head.kernel' is I8; only the embedding may be stored as I8"));
  }
  SECTION("the writer keeps I8 for the embedding") {
    const std::string path = "int8-refused.safetensors";
    CHECK(write_model_file(path, model, DType::I8).error() ==
          path + ": cannot write: I8 is for the embedding only");
  }
}

TEST_CASE("write_model uses the spec's tensor names and metadata", "[model_file]") {
  SECTION("bidirectional GRU, two layers") {
    const std::vector<std::string> expected = {"embedding",
                                               "rnn.0.fwd.kernel",
                                               "rnn.0.fwd.recurrent_kernel",
                                               "rnn.0.fwd.bias",
                                               "rnn.0.fwd.recurrent_bias",
                                               "rnn.0.bwd.kernel",
                                               "rnn.0.bwd.recurrent_kernel",
                                               "rnn.0.bwd.bias",
                                               "rnn.0.bwd.recurrent_bias",
                                               "rnn.1.fwd.kernel",
                                               "rnn.1.fwd.recurrent_kernel",
                                               "rnn.1.fwd.bias",
                                               "rnn.1.fwd.recurrent_bias",
                                               "rnn.1.bwd.kernel",
                                               "rnn.1.bwd.recurrent_kernel",
                                               "rnn.1.bwd.bias",
                                               "rnn.1.bwd.recurrent_bias",
                                               "head.kernel",
                                               "head.bias"};
    CHECK(tensor_names(write(make_model(CellType::Gru, 2, true))) == expected);
  }
  SECTION("LSTM has no recurrent_bias") {
    const std::vector<std::string> expected = {
        "embedding",      "rnn.0.fwd.kernel", "rnn.0.fwd.recurrent_kernel",
        "rnn.0.fwd.bias", "head.kernel",      "head.bias"};
    CHECK(tensor_names(write(make_model(CellType::Lstm))) == expected);
  }
  SECTION("shapes and metadata") {
    const ModelFile model = make_model(CellType::Lstm, 2, true);
    Parts parts(model);
    CHECK(parts.tensor("embedding").shape == std::vector<std::int64_t>{12, 5});
    CHECK(parts.tensor("rnn.0.bwd.kernel").shape == std::vector<std::int64_t>{5, 16});
    CHECK(parts.tensor("rnn.1.fwd.kernel").shape == std::vector<std::int64_t>{8, 16});
    CHECK(parts.tensor("rnn.1.fwd.recurrent_kernel").shape == std::vector<std::int64_t>{4, 16});
    CHECK(parts.tensor("rnn.1.fwd.bias").shape == std::vector<std::int64_t>{16});
    CHECK(parts.tensor("head.kernel").shape == std::vector<std::int64_t>{8, 1});
    CHECK(parts.tensor("head.bias").shape == std::vector<std::int64_t>{1});
    CHECK(parts.tensor("head.bias").values == std::vector<float>{-0.375f});
    // Row-major [in × G·units]: element (1, 2) of the kernel is value 1·16 + 2.
    CHECK(parts.tensor("rnn.0.fwd.kernel").values[18] == model.weights.rnn[0].kernel(1, 2));
    CHECK(parts.tensor("rnn.0.bwd.kernel").values[18] == model.weights.rnn[1].kernel(1, 2));

    CHECK(parts.metadata.size() == 5);
    CHECK(parts.metadata.at("format") == "unroll-rnn");
    CHECK(parts.metadata.at("format_version") == "1");
    CHECK(parts.metadata.at("vocabulary") == model.vocabulary.serialize());
    CHECK(parts.metadata.at("provenance") == model.provenance);
    const nlohmann::json config = nlohmann::json::parse(parts.metadata.at("config"));
    CHECK(config == nlohmann::json::parse(R"({"cell":"lstm","vocab_size":12,"embedding_dim":5,
        "units":4,"layers":2,"bidirectional":true,"maxlen":17,"padding":"post",
        "truncating":"pre","start_token":false})"));
  }
  SECTION("missing provenance is written and read as {}") {
    ModelFile model = make_model();
    model.provenance.clear();
    Parts parts(model);
    CHECK(parts.metadata.at("provenance") == "{}");
    parts.metadata.erase("provenance");
    Result<ModelFile> back = read(parts.bytes());
    REQUIRE(back.ok());
    CHECK(back.value().provenance == "{}");
  }
}

TEST_CASE("read_model accepts files from other writers", "[model_file]") {
  SECTION("tensors in another order, mixed dtypes") {
    const ModelFile model = make_model(CellType::Gru, 1, true);
    Parts parts(model);
    std::reverse(parts.tensors.begin(), parts.tensors.end());
    parts.tensor("embedding").dtype = DType::F16;
    Result<ModelFile> back = read(parts.bytes());
    REQUIRE(back.ok());
    require_same(back.value().weights.rnn[1].recurrent_bias, model.weights.rnn[1].recurrent_bias,
                 "recurrent_bias");
  }
  SECTION("extra metadata keys") {
    Parts parts(make_model());
    parts.metadata["comment"] = "exported by make_fixtures.py";
    CHECK(read(parts.bytes()).ok());
  }
}

TEST_CASE("write_model_file and read_model_file go through the file system", "[model_file]") {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / "unroll_model_file_test.safetensors";
  const ModelFile model = make_model(CellType::Gru, 2, true);
  const DType dtype = GENERATE(DType::F32, DType::F16);
  const Status written = write_model_file(path.string(), model, dtype);
  REQUIRE(written.ok());
  Result<ModelFile> back = read_model_file(path.string());
  REQUIRE(back.ok());
  CHECK(back.value().vocabulary.words() == model.vocabulary.words());
  if (dtype == DType::F32)
    require_weights(back.value().weights, model.weights, [](float x) { return x; });

  // A file cut short on disk is reported with its path.
  {
    const std::string bytes = write(model);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size() - 3));
  }
  Result<ModelFile> cut = read_model_file(path.string());
  REQUIRE_FALSE(cut.ok());
  CHECK_THAT(cut.error(), StartsWith(path.string() + ": "));
  std::remove(path.string().c_str());
}

TEST_CASE("read_model_file and write_model_file report file system errors", "[model_file]") {
  const std::string missing = "/nonexistent-unroll-dir/none.safetensors";
  Result<ModelFile> read_missing = read_model_file(missing);
  REQUIRE_FALSE(read_missing.ok());
  CHECK_THAT(read_missing.error(), StartsWith(missing + ": cannot open file"));
  const std::string directory = std::filesystem::temp_directory_path().string();
  Result<ModelFile> read_directory = read_model_file(directory);
  REQUIRE_FALSE(read_directory.ok());
  CHECK(read_directory.error() == directory + ": is a directory, not a model file");
  const Status write_missing = write_model_file(missing, make_model());
  REQUIRE_FALSE(write_missing.ok());
  CHECK_THAT(write_missing.error(), StartsWith(missing + ": cannot create file"));
}

TEST_CASE("write_model_file refuses models read_model would reject", "[model_file]") {
  const std::string path =
      (std::filesystem::temp_directory_path() / "unroll_never_written.safetensors").string();
  std::remove(path.c_str());
  SECTION("weights that disagree with the config") {
    ModelFile model = make_model();
    model.weights.rnn[0].kernel.resize(3, 16);
    const Status status = write_model_file(path, model);
    REQUIRE_FALSE(status.ok());
    CHECK_THAT(status.error(), StartsWith(path + ": cannot write: "));
    CHECK_THAT(status.error(), Contains("rnn.0.fwd.kernel"));
  }
  SECTION("a vocabulary of the wrong size") {
    ModelFile model = make_model();
    model.vocabulary = make_vocabulary(3);
    const Status status = write_model_file(path, model);
    REQUIRE_FALSE(status.ok());
    CHECK_THAT(status.error(), Contains("vocabulary has 3 words, config vocab_size 12 expects 9"));
  }
  SECTION("provenance that is not a JSON object") {
    ModelFile model = make_model();
    model.provenance = "trained on my laptop";
    const Status status = write_model_file(path, model);
    REQUIRE_FALSE(status.ok());
    CHECK_THAT(status.error(), Contains("provenance is not valid JSON"));
  }
  SECTION("NaN weights") {
    ModelFile model = make_model(CellType::Gru);
    model.weights.rnn[0].recurrent_bias[2] = std::numeric_limits<float>::quiet_NaN();
    CHECK(write_model_file(path, model).error() ==
          path +
              ": cannot write: tensor 'rnn.0.fwd.recurrent_bias' contains NaN or infinite values");
  }
  SECTION("weights that overflow F16") {
    ModelFile model = make_model();
    model.weights.head_kernel[1] = -70000.0f;
    CHECK_THAT(write_model_file(path, model, DType::F16).error(),
               StartsWith(path + ": cannot write: tensor 'head.kernel' has values beyond the F16"));
    model.weights.head_kernel[1] = 65504.0f;  // the largest half is fine
    CHECK(write_model_file(path, model, DType::F16).ok());
    CHECK(read_model_file(path).ok());
    std::remove(path.c_str());
  }
  SECTION("an invalid config") {
    ModelFile model = make_model();
    model.config.units = 0;
    CHECK_THAT(write_model_file(path, model).error(), Contains("config units is 0"));
  }
  CHECK_FALSE(std::filesystem::exists(path));
}

// ---- broken files
// -----------------------------------------------------------------------------------

TEST_CASE("read_model rejects every truncation of a valid file", "[model_file]") {
  const std::string bytes = write(make_model(CellType::Gru, 1, true), DType::F16);
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    INFO("prefix of " << length << " bytes");
    Result<ModelFile> result = read(bytes.substr(0, length));
    REQUIRE_FALSE(result.ok());
    REQUIRE_THAT(result.error(), StartsWith("model.safetensors: "));
  }
  CHECK(read(bytes).ok());
}

TEST_CASE("read_model passes container errors through", "[model_file]") {
  CHECK(read_error("") ==
        "model.safetensors: file is 0 bytes long, too short for a safetensors header");
  std::string huge(16, '\0');
  huge[7] = '\x80';  // header length 2^63
  CHECK(read_error(huge) ==
        "model.safetensors: header length 9223372036854775808 runs past the end of the file (16 "
        "bytes)");
  Parts parts(make_model());
  parts.tensor("rnn.0.fwd.bias").dtype = DType::F16;
  std::string bytes = parts.bytes();
  const std::size_t at = bytes.find("\"F16\"");
  REQUIRE(at != std::string::npos);
  bytes.replace(at, 5, "\"I64\"");
  CHECK_THAT(read_error(bytes),
             StartsWith("model.safetensors: unknown dtype 'I64' for tensor 'rnn.0.fwd.bias'"));
}

TEST_CASE("read_model checks format and version first", "[model_file]") {
  Parts parts(make_model());
  SECTION("wrong format") {
    parts.metadata["format"] = "pt";
    CHECK(read_error(parts.bytes()) ==
          "model.safetensors: metadata 'format' is 'pt', expected 'unroll-rnn'");
  }
  SECTION("no format: a plain safetensors file") {
    parts.metadata.clear();
    CHECK_THAT(read_error(parts.bytes()),
               StartsWith("model.safetensors: missing metadata 'format'"));
  }
  SECTION("newer version") {
    parts.metadata["format_version"] = "2";
    CHECK(read_error(parts.bytes()) ==
          "model.safetensors: format_version 2 is not supported (this build reads 1)");
  }
  SECTION("version that is not a number") {
    parts.metadata["format_version"] = "1.0";
    CHECK_THAT(read_error(parts.bytes()), Contains("format_version 1.0 is not supported"));
  }
  SECTION("no version") {
    parts.metadata.erase("format_version");
    CHECK(read_error(parts.bytes()) == "model.safetensors: missing metadata 'format_version'");
  }
}

TEST_CASE("read_model rejects bad configs", "[model_file]") {
  Parts parts(make_model());
  SECTION("missing") {
    parts.metadata.erase("config");
    CHECK(read_error(parts.bytes()) == "model.safetensors: missing metadata 'config'");
  }
  SECTION("not JSON") {
    parts.metadata["config"] = "{cell: lstm}";
    CHECK(read_error(parts.bytes()) == "model.safetensors: metadata 'config' is not valid JSON");
  }
  SECTION("not an object") {
    parts.metadata["config"] = "[1,2,3]";
    CHECK(read_error(parts.bytes()) == "model.safetensors: metadata 'config' is not a JSON object");
  }
  SECTION("nested too deeply") {
    parts.metadata["config"] = std::string(100000, '[');
    CHECK_THAT(read_error(parts.bytes()), Contains("metadata 'config' is nested more than 64"));
  }
  SECTION("a missing key") {
    const char* key = GENERATE("cell", "vocab_size", "embedding_dim", "units", "layers",
                               "bidirectional", "maxlen", "padding", "truncating", "start_token");
    parts.metadata["config"] = parts.config_without(key);
    CHECK(read_error(parts.bytes()) ==
          std::string("model.safetensors: config is missing '") + key + "'");
  }
  SECTION("wrong types") {
    parts.metadata["config"] = parts.config_with("units", "4");
    CHECK(read_error(parts.bytes()) == "model.safetensors: config 'units' is not an integer");
    parts.metadata["config"] = parts.config_with("layers", 1.5);
    CHECK(read_error(parts.bytes()) == "model.safetensors: config 'layers' is not an integer");
    parts.metadata["config"] = parts.config_with("bidirectional", 1);
    CHECK(read_error(parts.bytes()) ==
          "model.safetensors: config 'bidirectional' is not true or false");
    parts.metadata["config"] = parts.config_with("start_token", "yes");
    CHECK(read_error(parts.bytes()) ==
          "model.safetensors: config 'start_token' is not true or false");
    parts.metadata["config"] = parts.config_with("cell", 3);
    CHECK(read_error(parts.bytes()) == "model.safetensors: config 'cell' is not a string");
    parts.metadata["config"] = parts.config_with("padding", nullptr);
    CHECK(read_error(parts.bytes()) == "model.safetensors: config 'padding' is not a string");
  }
  SECTION("unknown names") {
    parts.metadata["config"] = parts.config_with("cell", "transformer");
    CHECK_THAT(read_error(parts.bytes()),
               StartsWith("model.safetensors: config 'cell': ") && Contains("transformer"));
    parts.metadata["config"] = parts.config_with("truncating", "middle");
    CHECK_THAT(read_error(parts.bytes()),
               StartsWith("model.safetensors: config 'truncating': ") && Contains("middle"));
    parts.metadata["config"] = parts.config_with("dropout", 0.5);
    CHECK(read_error(parts.bytes()) == "model.safetensors: config has unknown key 'dropout'");
  }
  SECTION("sizes out of range") {
    parts.metadata["config"] = parts.config_with("units", 0);
    CHECK_THAT(read_error(parts.bytes()), StartsWith("model.safetensors: config units is 0"));
    parts.metadata["config"] = parts.config_with("layers", -1);
    CHECK_THAT(read_error(parts.bytes()), StartsWith("model.safetensors: config layers is -1"));
    parts.metadata["config"] = parts.config_with("embedding_dim", 0);
    CHECK_THAT(read_error(parts.bytes()), Contains("config embedding_dim is 0"));
    parts.metadata["config"] = parts.config_with("maxlen", -5);
    CHECK_THAT(read_error(parts.bytes()), Contains("config maxlen is -5"));
    parts.metadata["config"] = parts.config_with("vocab_size", 1000000000000);
    CHECK(read_error(parts.bytes()) == "model.safetensors: config 'vocab_size' is out of range");
    parts.metadata["config"] = parts.config_with("units", -3000000000LL);
    CHECK(read_error(parts.bytes()) == "model.safetensors: config 'units' is out of range");
    parts.metadata["config"] = parts.config_with("vocab_size", 100000000);
    CHECK_THAT(read_error(parts.bytes()), Contains("config vocab_size is 100000000"));
  }
}

TEST_CASE("read_model rejects bad vocabularies", "[model_file]") {
  Parts parts(make_model());
  SECTION("missing") {
    parts.metadata.erase("vocabulary");
    CHECK(read_error(parts.bytes()) == "model.safetensors: missing metadata 'vocabulary'");
  }
  SECTION("empty") {
    parts.metadata["vocabulary"] = "";
    CHECK(read_error(parts.bytes()) == "model.safetensors: vocabulary is empty");
  }
  SECTION("too few words") {
    parts.metadata["vocabulary"] = make_vocabulary(7).serialize();
    CHECK(read_error(parts.bytes()) ==
          "model.safetensors: vocabulary has 7 words, config vocab_size 12 expects 9");
  }
  SECTION("too many words") {
    parts.metadata["vocabulary"] = make_vocabulary(10).serialize();
    CHECK(read_error(parts.bytes()) ==
          "model.safetensors: vocabulary has 10 words, config vocab_size 12 expects 9");
  }
  SECTION("duplicate words") {
    parts.metadata["vocabulary"] = "a\nb\nc\nd\ne\nf\ng\nh\na";
    CHECK_THAT(read_error(parts.bytes()), StartsWith("model.safetensors: vocabulary: "));
  }
}

TEST_CASE("read_model rejects provenance that is not a JSON object", "[model_file]") {
  Parts parts(make_model());
  parts.metadata["provenance"] = "trained by hand";
  CHECK(read_error(parts.bytes()) == "model.safetensors: metadata 'provenance' is not valid JSON");
  parts.metadata["provenance"] = "[\"a\"]";
  CHECK(read_error(parts.bytes()) ==
        "model.safetensors: metadata 'provenance' is not a JSON object");
  parts.metadata["provenance"] =
      "{\"deep\":" + std::string(5000, '[') + std::string(5000, ']') + "}";
  CHECK_THAT(read_error(parts.bytes()), Contains("metadata 'provenance' is nested more than 64"));
}

TEST_CASE("read_model rejects missing, extra and misshapen tensors", "[model_file]") {
  SECTION("wrong shape") {
    ModelFile model = make_model(CellType::SimpleRnn);
    Parts parts(model);
    parts.tensor("rnn.0.fwd.kernel").shape = {4, 5};
    CHECK(read_error(parts.bytes()) ==
          "model.safetensors: tensor 'rnn.0.fwd.kernel' has shape [4,5], expected [5,4]");
  }
  SECTION("a head kernel stored as a vector") {
    Parts parts(make_model());
    parts.tensor("head.kernel").shape = {4};
    CHECK(read_error(parts.bytes()) ==
          "model.safetensors: tensor 'head.kernel' has shape [4], expected [4,1]");
  }
  SECTION("a scalar head bias") {
    Parts parts(make_model());
    parts.tensor("head.bias").shape = {};
    CHECK(read_error(parts.bytes()) ==
          "model.safetensors: tensor 'head.bias' has shape [], expected [1]");
  }
  SECTION("an embedding that disagrees with vocab_size") {
    Parts parts(make_model());
    auto& embedding = parts.tensor("embedding");
    embedding.shape = {10, 5};
    embedding.values.resize(50);
    CHECK(read_error(parts.bytes()) ==
          "model.safetensors: tensor 'embedding' has shape [10,5], expected [12,5]");
  }
  SECTION("a config that says LSTM over GRU weights") {
    Parts parts(make_model(CellType::Gru));
    parts.metadata["config"] = parts.config_with("cell", "lstm");
    CHECK(read_error(parts.bytes()) ==
          "model.safetensors: tensor 'rnn.0.fwd.kernel' has shape [5,12], expected [5,16]");
  }
  SECTION("missing") {
    const char* name =
        GENERATE("embedding", "rnn.0.fwd.kernel", "rnn.0.bwd.recurrent_kernel", "rnn.1.fwd.bias",
                 "rnn.1.bwd.recurrent_bias", "head.kernel", "head.bias");
    Parts parts(make_model(CellType::Gru, 2, true));
    parts.remove(name);
    CHECK(read_error(parts.bytes()) ==
          std::string("model.safetensors: missing tensor '") + name + "'");
  }
  SECTION("extra") {
    Parts parts(make_model());
    const float value = 1.0f;
    parts.tensors.push_back({"foo", {1}, {value}, DType::F32});
    CHECK(read_error(parts.bytes()) == "model.safetensors: unexpected tensor 'foo'");
  }
  SECTION("a recurrent_bias in an LSTM file") {
    Parts parts(make_model(CellType::Lstm));
    parts.tensors.push_back({"rnn.0.fwd.recurrent_bias", {16}, std::vector<float>(16), DType::F32});
    CHECK(read_error(parts.bytes()) ==
          "model.safetensors: unexpected tensor 'rnn.0.fwd.recurrent_bias'");
  }
  SECTION("a backward direction in a unidirectional file") {
    Parts bidirectional(make_model(CellType::SimpleRnn, 1, true));
    Parts parts(make_model(CellType::SimpleRnn, 1, false));
    parts.tensors.push_back(bidirectional.tensor("rnn.0.bwd.bias"));
    CHECK(read_error(parts.bytes()) == "model.safetensors: unexpected tensor 'rnn.0.bwd.bias'");
  }
  SECTION("a layer too many") {
    Parts deeper(make_model(CellType::SimpleRnn, 2, false));
    deeper.metadata["config"] = deeper.config_with("layers", 1);
    CHECK_THAT(read_error(deeper.bytes()),
               StartsWith("model.safetensors: unexpected tensor 'rnn.1."));
  }
}

TEST_CASE("read_model rejects NaN and infinite weights", "[model_file]") {
  const char* name =
      GENERATE("embedding", "rnn.0.fwd.kernel", "rnn.0.bwd.recurrent_kernel", "rnn.0.fwd.bias",
               "rnn.0.bwd.recurrent_bias", "head.kernel", "head.bias");
  const float bad =
      GENERATE(std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
               -std::numeric_limits<float>::infinity());
  const DType dtype = GENERATE(DType::F32, DType::F16);
  CAPTURE(name, bad, dtype == DType::F16);
  Parts parts(make_model(CellType::Gru, 1, true), dtype);
  parts.tensor(name).values.back() = bad;
  CHECK(read_error(parts.bytes()) ==
        std::string("model.safetensors: tensor '") + name + "' contains NaN or infinite values");
}

TEST_CASE("read_model accepts large finite weights but not F16 overflow", "[model_file]") {
  // Large finite values are legal (the format does not bound them); only NaN and inf are not.
  Parts parts(make_model());
  parts.tensor("embedding").values[0] = std::numeric_limits<float>::max();
  CHECK(read(parts.bytes()).ok());
  // In F16 the same value becomes infinity, which the reader must then reject.
  ModelFile model = make_model();
  model.weights.embedding(0, 0) = 1e5f;
  CHECK(read_error(write(model, DType::F16)) ==
        "model.safetensors: tensor 'embedding' contains NaN or infinite values");
}

}  // namespace unroll
