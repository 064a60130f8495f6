// The Embind facade: one small class, ModelHandle, over the core. The only Embind object is the
// handle itself (wasm/api/unroll.js deletes it in dispose()). Results come back in two ways:
// - small, rare ones (info, topWords, leaveOneOut, biases) as plain JS values built here, with
//   typed arrays as copies;
// - the hot ones (tokenize, run, runIds) as a view of an int32 layout of addresses of buffers this
//   handle owns (namespace layout below; unroll.js checks it against its own on loading). The wrapper copies every array out of the heap right after
//   the call, before anything can allocate (memory growth would detach the views), and keeps no
//   view. One call costs one Embind crossing instead of hundreds of property sets.
// Errors are values: a handle whose load failed has ok() false and error() the loader's message;
// a call that cannot be answered returns {error} (or null for the layouts). Nothing here throws.

#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "io/model_file.h"
#include "kernels/kernels.h"
#include "nn/attribution.h"
#include "nn/batch.h"
#include "nn/gradient_lens.h"
#include "nn/knockout.h"
#include "nn/model.h"
#include "nn/word_neighbours.h"
#include "text/reading.h"

using emscripten::typed_memory_view;
using emscripten::val;

namespace unroll {
namespace {

/** new Float32Array(copy of p[0..n)) — the view is dropped before anything else can allocate. */
val copy_floats(const float* p, std::size_t n) {
  return val::global("Float32Array").new_(typed_memory_view(n, p));
}

val error_value(const std::string& message) {
  val out = val::object();
  out.set("error", message);
  return out;
}

const char* const kGateNames[3][4] = {{"h"}, {"i", "f", "c", "o"}, {"z", "r", "n"}};

// Tokens run() and leaveOneOut() return beyond the window, on its truncated side: what the page
// shows of the dropped words. A review of any length then costs O(maxlen) to hand over.
constexpr std::size_t kContextTokens = 16;

}  // namespace

/**
 * The int32 layout tokenize/run/runIds return (a view of ModelHandle::header_): kFields words,
 * then kLayerFields per layer entry. Pointers are byte addresses into the wasm heap; unroll.js
 * copies every array out right after the call and keeps no view. Arrays are [steps × …] row-major.
 * wasm/api/unroll.js names the same fields in the same order (LAYOUT) and, on loading a module,
 * compares them with traceLayout() below; every header starts with kVersionNumber, which it
 * checks too. Change a field here: change LAYOUT there and bump kVersionNumber on both sides.
 */
namespace layout {
constexpr int kVersionNumber = 2;
enum Field {
  kVersion,       // kVersionNumber
  kHasTrace,      // 0 tokenize, 1 run/runIds
  kTokenCount,    // kept tokens
  kSpans,         // int32* [byteBegin, byteEnd, id, position] per kept token
  kWords,         // UTF-8*, the kept tokens joined by '\n'
  kWordsBytes,    //
  kSteps,         // length of the id sequence the network reads
  kIds,           // int32* [steps]
  kTokenIndex,    // int32* [steps] index into the kept tokens, -1 for start and padding
  kPadding,       // padding steps
  kKeptTokens,    // tokens in the window
  kStartKept,     // 0/1
  kFirstToken,    // index of the first kept token among all
  kTotalTokens,   //
  kOovTokens,     // out-of-vocabulary tokens among all
  kLayerCount,    // layer entries that follow (0 without trace)
  kScalars,       // float* [logit, probability]
  kRunningLogit,  // float* [steps], 0 if none
  kFields
};
const char* const kFieldNames[kFields] = {
    "version",  "hasTrace",    "tokenCount", "spans",       "words",       "wordsBytes",
    "steps",    "ids",         "tokenIndex", "padding",     "keptTokens",  "startKept",
    "firstToken", "totalTokens", "oovTokens", "layerCount", "scalars",     "runningLogit"};
enum LayerField {
  kLayer, kDirection, kHidden, kCell, kGates, kInputPart, kRecurrentPart, kPreactivation,
  kLayerFields
};
const char* const kLayerFieldNames[kLayerFields] = {
    "layer", "direction", "hidden", "cell", "gates", "inputPart", "recurrentPart", "preactivation"};
}  // namespace layout

/** {version, fields, layerFields}: the layout's description, for unroll.js to check against its own. */
val traceLayout() {
  val out = val::object();
  out.set("version", layout::kVersionNumber);
  val fields = val::array();
  for (const char* name : layout::kFieldNames) fields.call<void>("push", std::string(name));
  val layer_fields = val::array();
  for (const char* name : layout::kLayerFieldNames) layer_fields.call<void>("push", std::string(name));
  out.set("fields", fields);
  out.set("layerFields", layer_fields);
  return out;
}

/** A loaded model, or the reason it could not be loaded. */
class ModelHandle {
 public:
  /** `bytes`: the model file (JS passes a Uint8Array); `name` prefixes error messages. */
  ModelHandle(const std::string& bytes, const std::string& name) {
    Result<ModelFile> file =
        read_model(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), name);
    if (!file) {
      error_ = file.error();
      return;
    }
    ModelFile& loaded = file.value();
    provenance_ = loaded.provenance;
    Result<Model> model = Model::create(std::move(loaded.config), std::move(loaded.weights),
                                        std::move(loaded.vocabulary));
    if (!model) {
      error_ = name + ": " + model.error();
      return;
    }
    model_.emplace(std::move(model).value());
  }

  bool ok() const { return model_.has_value(); }
  std::string error() const { return error_; }

  /** The configuration as a plain object (docs/js-api.md `model.info`, minus `name`). */
  val info() const {
    if (!model_) return error_value(error_);
    const ModelConfig& config = model_->config();
    const ModelWeights& weights = model_->weights();
    val out = val::object();
    out.set("cell", std::string(to_string(config.cell)));
    out.set("layers", config.layers);
    out.set("units", config.units);
    out.set("directions", config.directions());
    out.set("bidirectional", config.bidirectional);
    out.set("vocabSize", config.vocab_size);
    out.set("embeddingDim", config.embedding_dim);
    out.set("maxlen", config.sequence.maxlen);
    out.set("padding", std::string(to_string(config.sequence.padding)));
    out.set("truncating", std::string(to_string(config.sequence.truncating)));
    out.set("startToken", config.sequence.start_token);
    out.set("maskPadding", config.mask_padding);
    out.set("pooling", std::string(to_string(config.pooling)));
    val gates = val::array();
    const int g = gate_count(config.cell);
    for (int i = 0; i < g; ++i) gates.call<void>("push", std::string(kGateNames[static_cast<int>(config.cell)][i]));
    out.set("gateNames", gates);
    out.set("provenanceJson", provenance_);
    double parameters = static_cast<double>(weights.embedding.size() + weights.head_kernel.size() + 1);
    for (const RecurrentWeights& w : weights.rnn)
      parameters += static_cast<double>(w.kernel.size() + w.recurrent_kernel.size() + w.bias.size() +
                                        w.recurrent_bias.size());
    out.set("parameters", parameters);
    out.set("headBias", weights.head_bias);
    out.set("backend", std::string(kernels::backend_name()));
    return out;
  }

  /** Every token and the sequence of a UTF-8 review; returns a view of the layout (see header_). */
  val tokenize(const std::string& text) {
    if (!model_) return val::null();
    read_(text, kEveryToken);
    fill_header_(false);
    return header_view_();
  }

  /**
   * The forward pass with its full trace, and the tokens of the window plus kContextTokens next to
   * it; returns a view of the layout.
   */
  val run(const std::string& text) {
    if (!model_) return val::null();
    read_(text, kContextTokens);
    model_->trace(reading_.sequence.ids, trace_);
    fill_header_(true);
    return header_view_();
  }

  /** The forward pass with its trace for an id sequence as given (no tokenizing, no padding). */
  val runIds(val ids) {
    if (!model_) return val::null();
    reading_ = Reading{};
    Sequence& sequence = reading_.sequence;
    sequence.ids = emscripten::vecFromJSArray<int>(ids);
    model_->trace(sequence.ids, trace_);
    sequence.ids = trace_.ids;  // a masked model skips padding ids: the steps it ran
    sequence.token_index.assign(sequence.ids.size(), -1);
    fill_header_(true);
    return header_view_();
  }

  /**
   * Knockouts for the calls that follow, as a flat array [layer, direction, unit, value, …]
   * (docs/js-api.md `knockout`); an empty array restores the model. Returns "" or why none was
   * applied (unroll.js sets them around one call and clears them after).
   */
  std::string setKnockouts(val flat) {
    if (!model_) return error_;
    const std::vector<float> values = emscripten::convertJSArrayToNumberVector<float>(flat);
    if (values.size() % 4) return "knockout: 4 numbers per unit";
    std::vector<Knockout> knockouts;
    for (std::size_t i = 0; i < values.size(); i += 4)
      knockouts.push_back({static_cast<int>(values[i]), static_cast<int>(values[i + 1]),
                           static_cast<int>(values[i + 2]), values[i + 3]});
    Status status = model_->set_knockouts(std::move(knockouts));
    return status ? "" : status.error();
  }

  /**
   * The memory lens for a review (core/nn/gradient_lens.h), over the steps run() reads:
   * {steps, logit, wordGradient, gradTimesInput: Float32Array(steps), stateGradient:
   * [Float32Array(steps)] and fadeSteps: [int] per layer entry}.
   */
  val attribution(const std::string& text) {
    if (!model_) return error_value(error_);
    read_(text, 1);
    const GradientLens lens = gradient_lens(*model_, reading_.sequence.ids);
    const int steps = static_cast<int>(lens.ids.size());
    val out = val::object();
    out.set("steps", steps);
    out.set("logit", lens.logit);
    out.set("wordGradient", copy_floats(lens.word_gradient.data(), steps));
    out.set("gradTimesInput", copy_floats(lens.grad_times_input.data(), steps));
    val state = val::array();
    val fade = val::array();
    for (Eigen::Index e = 0; e < lens.state_gradient.rows(); ++e) {
      state.call<void>("push", copy_floats(lens.state_gradient.row(e).data(), steps));
      fade.call<void>("push", lens.fade_step[e]);
    }
    out.set("stateGradient", state);
    out.set("fadeSteps", fade);
    return out;
  }

  /**
   * [{unit, logitChange, probabilityChange}] for every unit of (layer, direction), the largest
   * |logitChange| first: the review's verdict with that unit set to 0 (core/nn/knockout.h).
   */
  val knockoutRanking(const std::string& text, int layer, int direction) {
    if (!model_) return error_value(error_);
    read_(text, 1);
    Result<std::vector<UnitEffect>> effects = knockout_effects(*model_, reading_.sequence.ids, layer, direction);
    if (!effects) return error_value(effects.error());
    val out = val::array();
    for (const UnitEffect& e : effects.value()) {
      val entry = val::object();
      entry.set("unit", e.unit);
      entry.set("logitChange", e.logit_change);
      entry.set("probabilityChange", e.probability_change);
      out.call<void>("push", entry);
    }
    return out;
  }

  /**
   * Microseconds per attribution pass (forward with trace + backward) of a review, timed inside
   * wasm over `repeats` passes after one warm-up. Benchmarks only.
   */
  double benchmarkAttribution(const std::string& text, int repeats) {
    if (!model_ || repeats < 1) return 0.0;
    read_(text, 1);
    const std::vector<int>& ids = reading_.sequence.ids;
    gradient_lens(*model_, ids);
    const double start = emscripten_get_now();
    for (int i = 0; i < repeats; ++i) gradient_lens(*model_, ids);
    return (emscripten_get_now() - start) * 1000.0 / repeats;
  }

  /** [Float32Array(G·units) bias, Float32Array | null recurrent bias] per layer entry (copies). */
  val biases() const {
    val out = val::array();
    if (!model_) return out;
    for (const RecurrentWeights& w : model_->weights().rnn) {
      val pair = val::array();
      pair.call<void>("push", copy_floats(w.bias.data(), w.bias.size()));
      pair.call<void>("push", w.recurrent_bias.size()
                                  ? copy_floats(w.recurrent_bias.data(), w.recurrent_bias.size())
                                  : val::null());
      out.call<void>("push", pair);
    }
    return out;
  }

  /** Logit of a review without recording a trace (benchmarks; the cheapest full pass). */
  double logit(const std::string& text) {
    if (!model_) return 0.0;
    read_(text, 1);
    return model_->logit(reading_.sequence.ids);
  }

  /**
   * Microseconds per forward pass of a review, timed inside wasm over `repeats` passes (after one
   * warm-up): with the full trace or logit only. Benchmarks only; tokenizing is not timed.
   */
  double benchmark(const std::string& text, int repeats, bool with_trace) {
    if (!model_ || repeats < 1) return 0.0;
    read_(text, 1);
    const std::vector<int>& ids = reading_.sequence.ids;
    model_->trace(ids, trace_);
    const double start = emscripten_get_now();
    for (int i = 0; i < repeats; ++i) {
      if (with_trace)
        model_->trace(ids, trace_);
      else
        model_->logit(ids);
    }
    return (emscripten_get_now() - start) * 1000.0 / repeats;
  }

  /**
   * Float32Array, one per token run() returns: logit(review) − logit(review without token i); NaN
   * outside the window. The kept words suffice (see read_review).
   */
  val leaveOneOut(const std::string& text) {
    if (!model_) return error_value(error_);
    read_(text, kContextTokens);
    std::vector<float> effects = leave_one_out(*model_, reading_.word_ids);
    val out = val::object();
    out.set("effects", copy_floats(effects.data(), effects.size()));
    return out;
  }

  /** {positive: [{word, id, value}], negative: [...]} for layer 0, or {error}. */
  val topWords(int direction, int unit, int k) {
    if (!model_) return error_value(error_);
    Result<TopWords> top = top_words(*model_, direction, unit, k);
    if (!top) return error_value(top.error());
    auto list = [this](const std::vector<WordScore>& scores) {
      val array = val::array();
      for (const WordScore& score : scores) {
        val entry = val::object();
        entry.set("word", std::string(model_->vocabulary().word(score.id)));
        entry.set("id", score.id);
        entry.set("value", score.value);
        array.call<void>("push", entry);
      }
      return array;
    };
    val out = val::object();
    out.set("positive", list(top.value().positive));
    out.set("negative", list(top.value().negative));
    return out;
  }

  /** [{id, word, similarity}]: the `k` words nearest `id` in the embedding (WordNeighbours::nearest). */
  val nearestWords(int id, int k) {
    if (!model_) return error_value(error_);
    val out = val::array();
    for (const WordSimilarity& near : neighbours_().nearest(id, k)) {
      val entry = val::object();
      entry.set("id", near.id);
      entry.set("word", std::string(model_->vocabulary().word(near.id)));
      entry.set("similarity", near.similarity);
      out.call<void>("push", entry);
    }
    return out;
  }

  /**
   * [{id, word, effect}]: up to `k` words whose effect has the opposite sign to `id`'s
   * (WordNeighbours::opposite); the first call computes every word's effect, later ones reuse it.
   */
  val oppositeWords(int id, int k) {
    if (!model_) return error_value(error_);
    val out = val::array();
    for (const WordEffect& word : neighbours_().opposite(id, k)) {
      val entry = val::object();
      entry.set("id", word.id);
      entry.set("word", std::string(model_->vocabulary().word(word.id)));
      entry.set("effect", word.effect);
      out.call<void>("push", entry);
    }
    return out;
  }

  /** logit(the word alone) − logit(the empty review) for `id`, or NaN when `id` is not a word. */
  double wordEffect(int id) {
    if (!model_ || id < Vocabulary::kFirstWord || id >= model_->config().vocab_size) return NAN;
    return neighbours_().effects()[id];
  }

  /**
   * Float32Array(batch) of probabilities for `batch` id sequences of `steps` ids each (an
   * Int32Array, ids[b·steps + t], already padded), computed for the whole batch at once, one
   * matrix-matrix product per time step (BatchRunner). {error} when the sizes disagree.
   */
  val predictIds(val ids, int batch, int steps) {
    if (!model_) return error_value(error_);
    batch_ids_ = emscripten::convertJSArrayToNumberVector<int>(ids);
    if (batch < 0 || steps < 0 ||
        batch_ids_.size() != static_cast<std::size_t>(batch) * static_cast<std::size_t>(steps))
      return error_value("predictBatch: " + std::to_string(batch_ids_.size()) + " ids for " +
                         std::to_string(batch) + " sequences of " + std::to_string(steps));
    return predict_batch_(batch, steps);
  }

  /**
   * Float32Array of probabilities for reviews (texts as UTF-8), each prepared with the model's
   * own sequence options. With a fixed maxlen the batch runs at once (a masked model's reviews
   * grouped by length); a model without one (maxlen 0) runs them one by one.
   */
  val predictTexts(val texts) {
    if (!model_) return error_value(error_);
    const std::vector<std::string> reviews = emscripten::vecFromJSArray<std::string>(texts);
    const int batch = static_cast<int>(reviews.size());
    const int steps = model_->config().sequence.maxlen;
    batch_ids_.clear();
    probabilities_.resize(reviews.size());
    for (int b = 0; b < batch; ++b) {
      read_(reviews[b], 1);
      const std::vector<int>& ids = reading_.sequence.ids;
      if (steps > 0) {
        // A masked model's reviews are not padded; the runner skips the padding added here.
        batch_ids_.insert(batch_ids_.end(), static_cast<std::size_t>(steps) - ids.size(), Vocabulary::kPadding);
        batch_ids_.insert(batch_ids_.end(), ids.begin(), ids.end());
      }
      else
        probabilities_[b] = model_->predict(ids);
    }
    if (steps <= 0) return copy_floats(probabilities_.data(), probabilities_.size());
    return predict_batch_(batch, steps);
  }

 private:
  WordNeighbours& neighbours_() {
    // Made on first use, like runner_; it caches the embedding norms and every word's effect.
    if (!neighbours_cache_) neighbours_cache_.emplace(*model_);
    return *neighbours_cache_;
  }

  val predict_batch_(int batch, int steps) {
    // Made on first use; it refers to *model_, which never moves once loaded.
    if (!runner_) runner_.emplace(*model_);
    probabilities_.resize(static_cast<std::size_t>(batch));
    runner_->predict(batch_ids_.data(), batch, steps, probabilities_.data());
    return copy_floats(probabilities_.data(), probabilities_.size());
  }

  /** Reads a review, keeping its window and `context` tokens more (kEveryToken: all of them). */
  void read_(const std::string& text, std::size_t context) {
    reading_ = read_review(text, model_->vocabulary(), model_->config().sequence, context);
  }

  static int address(const void* p) { return static_cast<int>(reinterpret_cast<std::uintptr_t>(p)); }

  void fill_header_(bool with_trace) {
    const std::vector<Token>& tokens = reading_.tokens;
    const Sequence& sequence = reading_.sequence;
    spans_.clear();
    words_.clear();
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      spans_.push_back(static_cast<int>(tokens[i].begin));
      spans_.push_back(static_cast<int>(tokens[i].end));
      spans_.push_back(reading_.word_ids[i]);
      spans_.push_back(sequence.position[i]);
      if (i) words_ += '\n';
      words_ += tokens[i].text;
    }
    const int layers = with_trace ? static_cast<int>(trace_.layers.size()) : 0;
    header_.assign(layout::kFields + layout::kLayerFields * layers, 0);
    int* h = header_.data();
    h[layout::kVersion] = layout::kVersionNumber;
    h[layout::kHasTrace] = with_trace ? 1 : 0;
    h[layout::kTokenCount] = static_cast<int>(tokens.size());
    h[layout::kSpans] = address(spans_.data());
    h[layout::kWords] = address(words_.data());
    h[layout::kWordsBytes] = static_cast<int>(words_.size());
    h[layout::kSteps] = static_cast<int>(sequence.ids.size());
    h[layout::kIds] = address(sequence.ids.data());
    h[layout::kTokenIndex] = address(sequence.token_index.data());
    h[layout::kPadding] = sequence.padding;
    h[layout::kKeptTokens] = sequence.kept_tokens;
    h[layout::kStartKept] = sequence.start_kept ? 1 : 0;
    h[layout::kFirstToken] = static_cast<int>(reading_.first_token);
    h[layout::kTotalTokens] = static_cast<int>(reading_.total_tokens);
    h[layout::kOovTokens] = static_cast<int>(reading_.oov_tokens);
    h[layout::kLayerCount] = layers;
    if (!with_trace) return;
    scalars_[0] = trace_.logit;
    scalars_[1] = trace_.probability;
    h[layout::kScalars] = address(scalars_);
    h[layout::kRunningLogit] = trace_.running_logit.size() ? address(trace_.running_logit.data()) : 0;
    for (int l = 0; l < layers; ++l) {
      const LayerTrace& layer = trace_.layers[l];
      int* entry = h + layout::kFields + layout::kLayerFields * l;
      entry[layout::kLayer] = layer.layer;
      entry[layout::kDirection] = layer.direction;
      entry[layout::kHidden] = address(layer.hidden.data());
      entry[layout::kCell] = layer.cell.size() ? address(layer.cell.data()) : 0;
      entry[layout::kGates] = address(layer.gates.data());
      entry[layout::kInputPart] = address(layer.input_part.data());
      entry[layout::kRecurrentPart] = address(layer.recurrent_part.data());
      entry[layout::kPreactivation] = address(layer.preactivation.data());
    }
  }

  val header_view_() const { return val(typed_memory_view(header_.size(), header_.data())); }

  std::optional<Model> model_;
  std::optional<BatchRunner> runner_;  // after model_: it refers to it
  std::optional<WordNeighbours> neighbours_cache_;  // after model_: it refers to it
  std::string error_;
  std::string provenance_ = "{}";
  // Reused across calls, so a model that has read a review of this length allocates nothing more.
  Trace trace_;
  Reading reading_;
  std::vector<int> spans_;
  std::string words_;
  std::vector<int> header_;
  float scalars_[2] = {0.0f, 0.0f};
  std::vector<int> batch_ids_;
  std::vector<float> probabilities_;
};

/** Bytes of linear memory (grows, never shrinks). */
double heapSize() { return static_cast<double>(emscripten_get_heap_size()); }
/** The allocator's high-water mark (sbrk(0)): moves only when malloc needs more memory. */
double heapBreak() { return static_cast<double>(reinterpret_cast<std::uintptr_t>(sbrk(0))); }
std::string backendName() { return kernels::backend_name(); }

}  // namespace unroll

EMSCRIPTEN_BINDINGS(unroll) {
  using namespace unroll;
  emscripten::class_<ModelHandle>("ModelHandle")
      .constructor<const std::string&, const std::string&>()
      .function("ok", &ModelHandle::ok)
      .function("error", &ModelHandle::error)
      .function("info", &ModelHandle::info)
      .function("tokenize", &ModelHandle::tokenize)
      .function("run", &ModelHandle::run)
      .function("runIds", &ModelHandle::runIds)
      .function("biases", &ModelHandle::biases)
      .function("logit", &ModelHandle::logit)
      .function("predictIds", &ModelHandle::predictIds)
      .function("predictTexts", &ModelHandle::predictTexts)
      .function("benchmark", &ModelHandle::benchmark)
      .function("leaveOneOut", &ModelHandle::leaveOneOut)
      .function("topWords", &ModelHandle::topWords)
      .function("nearestWords", &ModelHandle::nearestWords)
      .function("oppositeWords", &ModelHandle::oppositeWords)
      .function("wordEffect", &ModelHandle::wordEffect)
      .function("setKnockouts", &ModelHandle::setKnockouts)
      .function("attribution", &ModelHandle::attribution)
      .function("knockoutRanking", &ModelHandle::knockoutRanking)
      .function("benchmarkAttribution", &ModelHandle::benchmarkAttribution);
  emscripten::function("heapSize", &heapSize);
  emscripten::function("heapBreak", &heapBreak);
  emscripten::function("backendName", &backendName);
  emscripten::function("traceLayout", &traceLayout);
}
