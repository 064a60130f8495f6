// Numerical truth from PyTorch: the forward pass and its trace, element by element, against
// fixtures written by tests/fixtures/make_fixtures.py (see tests/fixtures/README.md).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "io/model_file.h"
#include "io/safetensors.h"
#include "nn/batch.h"
#include "nn/limits.h"
#include "nn/model.h"

namespace unroll {
namespace {

// One line per fixture: tests/fixtures/<name>.safetensors and <name>.expected.safetensors.
const char* const kFixtures[] = {
    "simple_rnn",
    "simple_rnn_stacked",
    "simple_rnn_bi",
    "simple_rnn_bi_stacked",
    "lstm",
    "lstm_stacked",
    "lstm_stacked_bi",
    "gru",
    "gru_stacked",
    "gru_stacked_bi",
};

// Models with mask_padding (same weights as the fixture of the same seed): their sequences hold
// padding ids, and `seq{i}.steps` are the ids the pass must run (PyTorch: pack_padded_sequence).
const char* const kMaskedFixtures[] = {
    "simple_rnn_masked",
    "simple_rnn_bi_stacked_masked",
    "lstm_stacked_bi_masked",
    "gru_masked",
    "gru_stacked_bi_masked",
};

// Pooled heads (config pooling mean / max, same weights as their base fixture): the head reads the
// top layer's output averaged or maxed over every step run; masked ones over the words only.
const char* const kPooledFixtures[] = {
    "lstm_stacked_bi_masked_max",
    "gru_stacked_bi_masked_mean",
    "simple_rnn_masked_mean",
    "lstm_max",
};

constexpr double kTolerance = 1e-5;

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::string fixture_path(const std::string& file) { return std::string(UNROLL_FIXTURES_DIR) + "/" + file; }

/** Compares actual values with expected ones; remembers the worst element. */
class Comparer {
 public:
  Comparer(const SafetensorsFile& expected, std::string model) : expected_(expected), model_(std::move(model)) {}

  /** A [rows × cols] actual matrix (row-major) against tensor `name` of shape [rows, cols] or [rows]. */
  void matrix(const std::string& name, const float* actual, long rows, long cols, const std::string& label) {
    const TensorView* tensor = expected_.find(name);
    INFO(model_ << ": " << label);
    REQUIRE(tensor != nullptr);
    std::int64_t expected_rows = tensor->shape.empty() ? 1 : tensor->shape[0];
    std::int64_t expected_cols = tensor->shape.size() > 1 ? tensor->shape[1] : 1;
    INFO("expected tensor '" << name << "' of shape [" << expected_rows << "," << expected_cols
                             << "], actual [" << rows << "," << cols << "]");
    REQUIRE(expected_rows == rows);
    REQUIRE(expected_cols == cols);
    std::vector<float> values = tensor->to_floats();
    values_(std::vector<double>(values.begin(), values.end()), actual, rows, cols,
            label + " (tensor '" + name + "')");
  }

  void scalar(const std::string& name, float actual, const std::string& label) {
    matrix(name, &actual, 1, 1, label);
  }

  /** A [rows × cols] actual matrix against values computed by the test itself. */
  void computed(const Eigen::MatrixXd& expected, const Matrix& actual, const std::string& label) {
    INFO(model_ << ": " << label << ": expected shape [" << expected.rows() << "," << expected.cols()
                << "], actual [" << actual.rows() << "," << actual.cols() << "]");
    REQUIRE(actual.rows() == expected.rows());
    REQUIRE(actual.cols() == expected.cols());
    std::vector<double> values(static_cast<std::size_t>(expected.size()));
    for (Eigen::Index r = 0; r < expected.rows(); ++r)
      for (Eigen::Index c = 0; c < expected.cols(); ++c) values[r * expected.cols() + c] = expected(r, c);
    values_(values, actual.data(), actual.rows(), actual.cols(), label);
  }

  double max_diff() const { return max_diff_; }

 private:
  void values_(const std::vector<double>& values, const float* actual, long rows, long cols,
               const std::string& label) {
    double worst = 0.0;
    long worst_index = 0;
    for (long i = 0; i < rows * cols; ++i) {
      double diff = std::abs(static_cast<double>(actual[i]) - values[i]);
      if (!(diff <= worst)) {  // also catches NaN
        worst = std::isnan(diff) ? INFINITY : diff;
        worst_index = i;
        if (std::isnan(diff)) break;
      }
    }
    max_diff_ = std::max(max_diff_, worst);
    if (worst > kTolerance) {
      FAIL_CHECK(model_ << ": " << label << " differs at step " << worst_index / cols << ", column "
                        << worst_index % cols << ": actual " << actual[worst_index] << ", expected "
                        << values[worst_index] << ", |diff| " << worst);
    }
  }

  const SafetensorsFile& expected_;
  std::string model_;
  double max_diff_ = 0.0;
};

/** Expected tensor `name` as a double matrix [shape[0] × shape[1]]. */
Eigen::MatrixXd expected_matrix(const SafetensorsFile& expected, const std::string& name) {
  const TensorView* tensor = expected.find(name);
  INFO("expected tensor '" << name << "'");
  REQUIRE(tensor != nullptr);
  REQUIRE(tensor->shape.size() == 2);
  std::vector<float> values = tensor->to_floats();
  Eigen::MatrixXd m(tensor->shape[0], tensor->shape[1]);
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) m(r, c) = values[r * m.cols() + c];
  return m;
}

/** Every recorded quantity of `trace` for sequence `seq` against the fixture. */
void compare_trace(Comparer& compare, const SafetensorsFile& expected, const Model& model,
                   const std::string& seq, const std::vector<int>& ids, const Trace& trace,
                   const std::string& pass) {
  const ModelConfig& config = model.config();
  const ModelWeights& weights = model.weights();
  const int directions = config.directions();
  const int gates = gate_count(config.cell);
  const Eigen::Index steps = static_cast<Eigen::Index>(ids.size());
  INFO(pass << ", " << seq);
  CHECK(trace.ids == ids);
  REQUIRE(trace.layers.size() == static_cast<std::size_t>(config.layers * directions));
  for (int layer = 0; layer < config.layers; ++layer) {
    for (int direction = 0; direction < directions; ++direction) {
      const LayerTrace& lt = trace.layers[layer * directions + direction];
      CHECK(lt.layer == layer);
      CHECK(lt.direction == direction);
      const std::string key = std::to_string(layer) + (direction ? ".bwd" : ".fwd");
      const std::string where = pass + ", " + seq + ", layer " + key;
      compare.matrix(seq + ".hidden." + key, lt.hidden.data(), lt.hidden.rows(), lt.hidden.cols(),
                     where + ": hidden");
      if (config.cell == CellType::Lstm) {
        compare.matrix(seq + ".cell." + key, lt.cell.data(), lt.cell.rows(), lt.cell.cols(), where + ": cell");
      } else {
        CHECK(lt.cell.size() == 0);
      }
      compare.matrix(seq + ".gates." + key, lt.gates.data(), lt.gates.rows(), lt.gates.cols(),
                     where + ": gates");
      CHECK(lt.gates.cols() == gates * config.units);
      compare.matrix(seq + ".preactivation." + key, lt.preactivation.data(), lt.preactivation.rows(),
                     lt.preactivation.cols(), where + ": preactivation");

      // input_part = x_t·W and recurrent_part = h_{t-1}·U (no biases; h_{t-1} is h_{t+1} for the
      // backward direction), computed here in double from the weights and PyTorch's states.
      const RecurrentWeights& w = weights.rnn[layer * directions + direction];
      Eigen::MatrixXd x(steps, config.input_dim(layer));
      if (layer == 0) {
        for (Eigen::Index t = 0; t < steps; ++t)
          x.row(t) = weights.embedding.row(ids[t]).cast<double>();
      } else {
        for (int d = 0; d < directions; ++d) {
          x.middleCols(d * config.units, config.units) = expected_matrix(
              expected, seq + ".hidden." + std::to_string(layer - 1) + (d ? ".bwd" : ".fwd"));
        }
      }
      compare.computed(x * w.kernel.cast<double>(), lt.input_part, where + ": input_part");
      const Eigen::MatrixXd h = expected_matrix(expected, seq + ".hidden." + key);
      Eigen::MatrixXd h_prev = Eigen::MatrixXd::Zero(steps, config.units);
      for (Eigen::Index t = 0; t < steps; ++t) {
        const Eigen::Index prev = direction ? t + 1 : t - 1;
        if (prev >= 0 && prev < steps) h_prev.row(t) = h.row(prev);
      }
      compare.computed(h_prev * w.recurrent_kernel.cast<double>(), lt.recurrent_part,
                       where + ": recurrent_part");
    }
  }
  if (directions == 1) {
    compare.matrix(seq + ".running_logit", trace.running_logit.data(), trace.running_logit.size(), 1,
                   pass + ", " + seq + ": running_logit");
  } else {
    CHECK(trace.running_logit.size() == 0);
  }
  compare.scalar(seq + ".logit", trace.logit, pass + ", " + seq + ": trace logit");
  compare.scalar(seq + ".probability", trace.probability, pass + ", " + seq + ": trace probability");
}

std::vector<int> ids_of(const SafetensorsFile& expected, const std::string& seq) {
  const std::string name = seq.find('.') == std::string::npos ? seq + ".ids" : seq;
  const TensorView* tensor = expected.find(name);
  std::vector<int> ids;
  if (tensor == nullptr) return ids;
  for (float v : tensor->to_floats()) ids.push_back(static_cast<int>(v));
  return ids;
}

/** The ids the pass runs for sequence `seq`: `seq.steps` for a masked model, else `seq.ids`. */
std::vector<int> steps_of(const SafetensorsFile& expected, const std::string& seq) {
  return expected.find(seq + ".steps") ? ids_of(expected, seq + ".steps") : ids_of(expected, seq);
}

/** Loads fixture `name`; `adjust` may change the model file before the Model is created. */
template <class Adjust>
Model load_fixture(const std::string& name, Adjust adjust) {
  Result<ModelFile> file = read_model_file(fixture_path(name + ".safetensors"));
  INFO(name << ": " << (file.ok() ? std::string("loaded") : file.error()));
  REQUIRE(file.ok());
  CHECK(file.value().provenance.find("make_fixtures.py") != std::string::npos);
  CHECK(file.value().vocabulary.size() == file.value().config.vocab_size);
  CHECK(file.value().vocabulary.word(3) == "w0");
  adjust(file.value());
  Result<Model> created =
      Model::create(file.value().config, file.value().weights, file.value().vocabulary);
  INFO(name << ": " << (created.ok() ? std::string("created") : created.error()));
  REQUIRE(created.ok());
  return std::move(created).value();
}

/** Runs every sequence of <name>.expected.safetensors through `model` and compares everything. */
void check_against_fixture(const std::string& name, Model& model, const std::string& label) {
  const std::string expected_name = name + ".expected.safetensors";
  std::vector<std::uint8_t> bytes = read_bytes(fixture_path(expected_name));
  INFO(label);
  REQUIRE(!bytes.empty());
  Result<SafetensorsFile> parsed = parse_safetensors(bytes.data(), bytes.size(), expected_name);
  INFO(expected_name << ": " << (parsed.ok() ? std::string("parsed") : parsed.error()));
  REQUIRE(parsed.ok());
  const SafetensorsFile& expected = parsed.value();
  REQUIRE(expected.metadata.count("sequences") == 1);
  const int sequences = std::stoi(expected.metadata.at("sequences"));
  REQUIRE(sequences > 0);

  Comparer compare(expected, label);
  // Pass 1: a fresh Trace per sequence, then predict() and logit().
  for (int i = 0; i < sequences; ++i) {
    const std::string seq = "seq" + std::to_string(i);
    std::vector<int> ids = ids_of(expected, seq);
    REQUIRE(!ids.empty());
    Trace trace;
    model.trace(ids, trace);
    compare_trace(compare, expected, model, seq, steps_of(expected, seq), trace, "fresh trace");
    compare.scalar(seq + ".probability", model.predict(ids), seq + ": predict()");
    compare.scalar(seq + ".logit", model.logit(ids), seq + ": logit()");
  }
  // Pass 2: one Trace reused for every sequence, in reverse order (buffers shrink and grow),
  // interleaved with predict() on other lengths (the model's scratch buffers are reused too).
  Trace reused;
  for (int i = sequences - 1; i >= 0; --i) {
    const std::string seq = "seq" + std::to_string(i);
    std::vector<int> ids = ids_of(expected, seq);
    model.trace(ids, reused);
    compare_trace(compare, expected, model, seq, steps_of(expected, seq), reused, "reused trace");
    const std::string other = "seq" + std::to_string((i + 1) % sequences);
    compare.scalar(other + ".probability", model.predict(ids_of(expected, other)),
                   other + ": predict() after trace of " + seq);
  }
  // The empty sequence reads as the head applied to h_0 = 0.
  const float head_bias = model.weights().head_bias;
  CHECK(std::abs(model.logit({}) - head_bias) <= kTolerance);
  CHECK(std::abs(model.predict({}) - sigmoid(head_bias)) <= kTolerance);

  WARN(label << ": max |C++ - PyTorch| = " << compare.max_diff() << " over " << sequences
             << " sequences (tolerance " << kTolerance << ")");
  CHECK(compare.max_diff() <= kTolerance);
}

/**
 * BatchRunner gives every fixture sequence its expected logit. A masked model gets them all in one
 * batch, left-padded with more padding to the longest (chunks of two, so that groups of one
 * length are split across chunks too); an unmasked one, whose padding is read, one by one.
 */
void check_batch_logits(const std::string& name, Model& model) {
  const std::string expected_name = name + ".expected.safetensors";
  std::vector<std::uint8_t> bytes = read_bytes(fixture_path(expected_name));
  Result<SafetensorsFile> parsed = parse_safetensors(bytes.data(), bytes.size(), expected_name);
  REQUIRE(parsed.ok());
  const int sequences = std::stoi(parsed.value().metadata.at("sequences"));
  std::vector<std::vector<int>> all;
  std::size_t longest = 0;
  for (int i = 0; i < sequences; ++i) {
    all.push_back(ids_of(parsed.value(), "seq" + std::to_string(i)));
    longest = std::max(longest, all.back().size());
  }
  BatchRunner runner(model, 2);
  std::vector<float> logits(sequences);
  if (model.config().mask_padding) {
    std::vector<int> flat;
    for (const std::vector<int>& ids : all) {
      flat.insert(flat.end(), longest + 3 - ids.size(), 0);
      flat.insert(flat.end(), ids.begin(), ids.end());
    }
    runner.logits(flat.data(), sequences, static_cast<int>(longest + 3), logits.data());
  } else {
    for (int i = 0; i < sequences; ++i)
      runner.logits(all[i].data(), 1, static_cast<int>(all[i].size()), &logits[i]);
  }
  for (int i = 0; i < sequences; ++i) {
    const TensorView* expected = parsed.value().find("seq" + std::to_string(i) + ".logit");
    REQUIRE(expected != nullptr);
    INFO(name << ", seq" << i);
    CHECK(std::abs(logits[i] - expected->to_floats()[0]) <= kTolerance);
  }
}

}  // namespace
}  // namespace unroll

using namespace unroll;

TEST_CASE("forward pass and trace match PyTorch", "[parity]") {
  for (const char* name : kFixtures) {
    DYNAMIC_SECTION(name) {
      Model model = load_fixture(name, [](ModelFile&) {});
      check_against_fixture(name, model, name);
    }
  }
}

// For a small vocabulary the model precomputes embedding·W for every word (an "input table",
// core/nn/model.cpp, up to limits::kMaxInputTableFloats floats per direction); large vocabularies
// multiply the embeddings of the sequence at run time instead. To cover that path too, the
// fixtures are re-run with the vocabulary padded by unused words past that limit (the sequences
// only use ids < 12, so the expectations do not change).
TEST_CASE("forward pass without the input table matches PyTorch", "[parity]") {
  constexpr long kTableLimit = limits::kMaxInputTableFloats;
  for (const char* name : {"lstm_stacked_bi", "gru_stacked_bi", "lstm"}) {
    DYNAMIC_SECTION(name) {
      Model model = load_fixture(name, [](ModelFile& file) {
        const long gates = gate_count(file.config.cell) * file.config.units;
        const int vocab_size = static_cast<int>(kTableLimit / gates + 1);
        std::vector<std::string> words = file.vocabulary.words();
        for (int id = file.config.vocab_size; id < vocab_size; ++id) words.push_back("pad" + std::to_string(id));
        Result<Vocabulary> vocabulary = Vocabulary::from_words(std::move(words));
        REQUIRE(vocabulary.ok());
        file.vocabulary = std::move(vocabulary).value();
        const Eigen::Index old_rows = file.weights.embedding.rows();
        file.weights.embedding.conservativeResize(vocab_size, Eigen::NoChange);
        file.weights.embedding.bottomRows(vocab_size - old_rows).setConstant(0.25f);
        file.config.vocab_size = vocab_size;
      });
      check_against_fixture(name, model, std::string(name) + " (no input table)");
    }
  }
}

// Masked models (Keras mask_zero): padding ids anywhere in a sequence change no state, so the trace
// has one step per other id, and the bidirectional head reads the forward state after the last
// word and the backward state after the first. PyTorch's reference is pack_padded_sequence.
TEST_CASE("masked models: forward pass, trace and batches of mixed lengths match PyTorch", "[parity][mask]") {
  for (const char* name : kMaskedFixtures) {
    DYNAMIC_SECTION(name) {
      Model model = load_fixture(name, [](ModelFile& file) { REQUIRE(file.config.mask_padding); });
      CHECK_FALSE(model.config().sequence.pad);
      check_against_fixture(name, model, name);
      check_batch_logits(name, model);
    }
  }
}

// Pooled heads: the logit, the running logit of unidirectional models and the batched logits read
// the mean / maximum of the top layer's output over every step run (PyTorch: the packed batch's
// output pooled over each sequence's own steps).
TEST_CASE("pooled heads: forward pass, trace and batches match PyTorch", "[parity][pooling]") {
  for (const char* name : kPooledFixtures) {
    DYNAMIC_SECTION(name) {
      Model model = load_fixture(name, [](ModelFile& file) { REQUIRE(file.config.pooling != Pooling::Last); });
      check_against_fixture(name, model, name);
      check_batch_logits(name, model);
    }
  }
}
