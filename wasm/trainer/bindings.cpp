// The in-browser trainer's Embind facade: one class, TrainerHandle, over train::Session
// (core/train/session.h) and the training-data file (core/train/data_file.h). It is its own
// WebAssembly module (unroll-trainer-{simd,scalar}), loaded only when the learner opens training;
// the explainer's module (wasm/bindings.cpp) contains no training code.
//
// The caller (wasm/api/trainer.js, typically inside a Web Worker) drives the run: step() or
// runBatches(n) a few batches at a time, so that it can report progress, pause and stop between
// calls. Results cross as plain objects with typed-array copies; errors are values ({error} or
// ok() false) that the JS wrapper throws. Nothing here throws, nothing keeps a view of the heap.

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/config.h"
#include "train/data_file.h"
#include "train/optimizer.h"
#include "train/session.h"

using emscripten::typed_memory_view;
using emscripten::val;

namespace unroll {
namespace {

val error_value(const std::string& message) {
  val out = val::object();
  out.set("error", message);
  return out;
}

val copy_floats(const float* p, std::size_t n) {
  return val::global("Float32Array").new_(typed_memory_view(n, p));
}

val metrics_value(const train::BinaryMetrics& m, int count) {
  val out = val::object();
  out.set("count", count);
  out.set("loss", m.loss);
  out.set("accuracy", m.accuracy);
  out.set("precision", m.precision);
  out.set("recall", m.recall);
  out.set("f1", m.f1);
  out.set("rocAuc", m.roc_auc);
  return out;
}

/** recipe[key] when it is a number, else `fallback`. */
double number_or(const val& recipe, const char* key, double fallback) {
  const val v = recipe[key];
  return v.isNumber() ? v.as<double>() : fallback;
}

}  // namespace

/** The training data, then (after start()) a training run on it. */
class TrainerHandle {
 public:
  /** `bytes`: a training-data file (docs/training-data.md); `name` prefixes error messages. */
  TrainerHandle(const std::string& bytes, const std::string& name) {
    Result<train::TrainingData> data =
        train::read_training_data(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), name);
    if (!data) {
      error_ = data.error();
      return;
    }
    data_ = std::move(data).value();
    loaded_ = true;
  }

  bool ok() const { return loaded_; }
  std::string error() const { return error_; }

  /** What the file holds: vocabulary size, maxlen, review counts, provenance. */
  val dataInfo() const {
    if (!loaded_) return error_value(error_);
    const train::TrainingData& data = session_ ? session_->data() : data_;
    val out = val::object();
    out.set("vocabSize", data.vocabulary.size());
    out.set("maxlen", data.sequence.maxlen);
    val splits = val::object();
    if (session_) {
      splits.set("train", session_->train_count() + session_->validation_count());
      if (session_->test_count()) splits.set("test", session_->test_count());
    } else {
      for (const train::DataSplit& split : data.splits) splits.set(split.name, split.count());
    }
    out.set("splits", splits);
    out.set("provenanceJson", data.provenance);
    out.set("payloadSha256", data.payload_sha256);
    return out;
  }

  /**
   * Starts a run with `recipe` (a plain object; missing keys take the tutorial's defaults, see
   * train::Recipe). Returns "" or the reason the recipe was refused (the data is kept: fix the
   * recipe and start again). The data then belongs to the run: one run per handle.
   */
  std::string start(val recipe) {
    if (!loaded_) return error_;
    if (session_) return "this trainer has already started; load the data again for a new run";
    train::Recipe r;
    const val cell = recipe["cell"];
    if (cell.isString()) {
      Result<CellType> parsed = parse_cell_type(cell.as<std::string>());
      if (!parsed) return parsed.error();
      r.cell = parsed.value();
    }
    r.embedding_dim = static_cast<int>(number_or(recipe, "embeddingDim", r.embedding_dim));
    r.units = static_cast<int>(number_or(recipe, "units", r.units));
    r.layers = static_cast<int>(number_or(recipe, "layers", r.layers));
    r.bidirectional = recipe["bidirectional"].isTrue();
    r.mask_padding = recipe["maskPadding"].isTrue();
    r.dropout = static_cast<float>(number_or(recipe, "dropout", r.dropout));
    r.learning_rate = number_or(recipe, "learningRate", r.learning_rate);
    r.clip = number_or(recipe, "clip", r.clip);
    r.batch = static_cast<int>(number_or(recipe, "batchSize", r.batch));
    r.validation = number_or(recipe, "validation", r.validation);
    r.seed = static_cast<unsigned>(number_or(recipe, "seed", r.seed));
    Result<std::unique_ptr<train::Session>> session = train::Session::create(r, data_);
    if (!session) return session.error();
    session_ = std::move(session).value();
    data_ = {};  // the session holds its own copy
    return "";
  }

  /** The run's state: epochs done, position in the epoch, sizes. */
  val info() const {
    if (!session_) return error_value(loaded_ ? "the trainer has not started" : error_);
    val out = val::object();
    const ModelConfig& c = session_->config();
    out.set("cell", std::string(to_string(c.cell)));
    out.set("units", c.units);
    out.set("layers", c.layers);
    out.set("bidirectional", c.bidirectional);
    out.set("embeddingDim", c.embedding_dim);
    out.set("vocabSize", c.vocab_size);
    out.set("maxlen", c.sequence.maxlen);
    out.set("epochsDone", session_->epochs_done());
    out.set("batchInEpoch", session_->batch_in_epoch());
    out.set("batchesPerEpoch", session_->batches_per_epoch());
    out.set("trainCount", session_->train_count());
    out.set("validationCount", session_->validation_count());
    out.set("testCount", session_->test_count());
    return out;
  }

  /**
   * Runs up to `count` mini-batches, stopping early at the end of an epoch. Returns the batches'
   * mean losses (Float32Array), their review and correct counts, and where the run now is.
   */
  val runBatches(int count) {
    if (!session_) return error_value(loaded_ ? "the trainer has not started" : error_);
    std::vector<float> losses;
    long long reviews = 0, correct = 0;
    train::StepReport last;
    for (int i = 0; i < count; ++i) {
      last = session_->step();
      losses.push_back(static_cast<float>(last.loss));
      reviews += last.count;
      correct += last.correct;
      if (last.epoch_end) break;
    }
    val out = val::object();
    out.set("losses", copy_floats(losses.data(), losses.size()));
    out.set("reviews", static_cast<double>(reviews));
    out.set("correct", static_cast<double>(correct));
    out.set("epoch", last.epoch);
    out.set("batch", last.batch);
    out.set("batchesPerEpoch", session_->batches_per_epoch());
    out.set("epochEnd", last.epoch_end);
    // The last batch's gradients through time: [layers·directions × maxlen], row-major.
    out.set("gradientNorms", copy_floats(last.gradient_norms.data(), last.gradient_norms.size()));
    return out;
  }

  /** Metrics of the current weights on "train", "validation" or "test". */
  val evaluate(const std::string& split) const {
    if (!session_) return error_value(loaded_ ? "the trainer has not started" : error_);
    Result<train::BinaryMetrics> m = session_->evaluate(split);
    if (!m) return error_value(m.error());
    const int count = split == "train" ? session_->train_count()
                      : split == "validation" ? session_->validation_count() : session_->test_count();
    return metrics_value(m.value(), count);
  }

  /** The current weights as a model file (F32), or null before start(). */
  val exportModel(const std::string& provenance_json) const {
    if (!session_) return val::null();
    const std::string bytes = session_->export_model(provenance_json);
    return val::global("Uint8Array").new_(typed_memory_view(bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data())));
  }

  /** Every parameter, in train::tensors() order (tests compare runs with it). */
  val parameters() const {
    if (!session_) return val::null();
    ModelWeights copy = session_->weights();  // tensors() hands out mutable pointers
    std::vector<float> all;
    for (auto [p, n] : train::tensors(copy)) all.insert(all.end(), p, p + n);
    return copy_floats(all.data(), all.size());
  }

 private:
  bool loaded_ = false;
  std::string error_;
  train::TrainingData data_;
  std::unique_ptr<train::Session> session_;
};

}  // namespace unroll

EMSCRIPTEN_BINDINGS(unroll_trainer) {
  using namespace unroll;
  emscripten::class_<TrainerHandle>("TrainerHandle")
      .constructor<const std::string&, const std::string&>()
      .function("ok", &TrainerHandle::ok)
      .function("error", &TrainerHandle::error)
      .function("dataInfo", &TrainerHandle::dataInfo)
      .function("start", &TrainerHandle::start)
      .function("info", &TrainerHandle::info)
      .function("runBatches", &TrainerHandle::runBatches)
      .function("evaluate", &TrainerHandle::evaluate)
      .function("exportModel", &TrainerHandle::exportModel)
      .function("parameters", &TrainerHandle::parameters);
}
