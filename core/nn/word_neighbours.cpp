#include "nn/word_neighbours.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "kernels/kernels.h"
#include "nn/batch.h"
#include "nn/cell.h"
#include "text/sequence.h"

namespace unroll {
namespace {

// Words per batched step: bounds the scratch (a few [chunk × G·units] blocks, ~1 MB for an LSTM
// of 64 units) whatever the vocabulary.
constexpr int kChunk = 1024;

/** y = x [rows × k] · w [k × cols] through the kernel of the build (wasm_simd128 where there is one). */
void product(const float* x, int rows, const Matrix& w, Matrix& y) {
  y.resize(rows, w.cols());
  kernels::matrix_product(x, rows, static_cast<int>(w.rows()), w.data(), static_cast<int>(w.cols()), y.data());
}

/**
 * One cell step over `rows` rows of `units` each, packed (stride `units`): each row's x·W from
 * `input`, h_{t-1} from `h_prev` (nullptr: h = 0), h into `h`, with the scratch blocks
 * `recurrent` and `gates` [rows × G·units]; for an LSTM, c read from and written to `cell` in place.
 */
CellStep packed_step(int rows, const float* const* input, const float* h_prev, float* h, int units,
                     Matrix& recurrent, Matrix& gates, float* cell) {
  CellStep step;
  step.rows = rows;
  step.input = input;
  step.h_prev = h_prev;
  step.h_prev_stride = units;
  step.h = h;
  step.h_stride = units;
  step.recurrent = recurrent.data();
  step.gates = gates.data();
  step.cell_prev = step.cell = cell;
  return step;
}

/**
 * Logits of every one-word review for a unidirectional model whose word is the last step:
 * `prefix` (the steps before it) runs once with its trace, then each layer takes one step from
 * the prefix's final state for a chunk of words at once, through cell_forward over rows.
 * logits[id] for ids [first, vocab).
 */
void last_step_logits(Model& model, const std::vector<int>& prefix, int first, std::vector<float>& logits) {
  const ModelConfig& config = model.config();
  const ModelWeights& weights = model.weights();
  const int units = config.units, width = gate_count(config.cell) * units;
  const bool lstm = config.cell == CellType::Lstm;

  Trace trace;
  model.trace(prefix, trace);
  const int steps = trace.steps();  // without padding for a masked model

  Matrix input;                // [n × G·units] x·W of the step (the word, or the layer below's h)
  Matrix below;                // [n × units] the layer below's h after the word
  Matrix h_prev, h;            // [n × units] the prefix's final state (the same in every row), h after the word
  Matrix cell;                 // [n × units] LSTM: the prefix's c, then c after the word (in place)
  Matrix recurrent, gates;     // [n × G·units] scratch of cell_forward
  std::vector<const float*> rows;
  const int vocab = config.vocab_size;
  for (int begin = first; begin < vocab; begin += kChunk) {
    const int n = std::min(kChunk, vocab - begin);
    recurrent.resize(n, width);
    gates.resize(n, width);
    h.resize(n, units);
    for (int layer = 0; layer < config.layers; ++layer) {
      const RecurrentWeights& w = weights.rnn[layer];
      if (layer == 0)
        product(weights.embedding.row(begin).data(), n, w.kernel, input);  // [n × E]·[E × G·units]
      else
        product(below.data(), n, w.kernel, input);  // [n × units]·[units × G·units]
      rows.resize(n);
      for (int r = 0; r < n; ++r) rows[r] = input.row(r).data();

      const LayerTrace& traced = trace.layers[layer];
      if (steps > 0) h_prev = traced.hidden.row(steps - 1).replicate(n, 1);
      if (lstm) {
        if (steps > 0)
          cell = traced.cell.row(steps - 1).replicate(n, 1);
        else
          cell.setZero(n, units);
      }
      cell_forward(config.cell, w,
                   packed_step(n, rows.data(), steps > 0 ? h_prev.data() : nullptr, h.data(), units,
                               recurrent, gates, lstm ? cell.data() : nullptr));
      below.swap(h);
      h.resize(n, units);
    }
    // below: the top layer's h after the word; the head reads it.
    const Vector head = below * weights.head_kernel;
    for (int r = 0; r < n; ++r) logits[begin + r] = head[r] + weights.head_bias;
  }
}

/** One direction's state, shared by every row at the start: empty h for h = 0. */
struct SharedState {
  RowVector h, c;
};

/**
 * One direction of a one-layer model for rows [begin, begin + n) of the vocabulary: from `start`
 * (the same state for every row), one step reading each row's word, then one step per id of `then`
 * (the same input for every row, each row's own state). h after the last step into `h` [n × units].
 */
void run_rows(const Model& model, int direction, int begin, int n, const SharedState& start,
              const std::vector<int>& then, Matrix& h) {
  const ModelConfig& config = model.config();
  const RecurrentWeights& w = model.weights().rnn[direction];
  const Matrix& embedding = model.weights().embedding;
  const int units = config.units, width = gate_count(config.cell) * units;
  Matrix input, h_prev, cell, recurrent(n, width), gates(n, width), shared;
  product(embedding.row(begin).data(), n, w.kernel, input);  // [n × E]·[E × G·units]
  std::vector<const float*> rows(n);
  for (int r = 0; r < n; ++r) rows[r] = input.row(r).data();
  if (start.h.size()) h_prev = start.h.replicate(n, 1);
  if (config.cell == CellType::Lstm) {
    if (start.c.size()) cell = start.c.replicate(n, 1);
    else cell.setZero(n, units);
  }
  h.resize(n, units);
  CellStep step = packed_step(n, rows.data(), start.h.size() ? h_prev.data() : nullptr, h.data(), units,
                              recurrent, gates, config.cell == CellType::Lstm ? cell.data() : nullptr);
  cell_forward(config.cell, w, step);
  for (int id : then) {
    product(embedding.row(id).data(), 1, w.kernel, shared);  // the same x·W for every row
    for (int r = 0; r < n; ++r) rows[r] = shared.data();
    h_prev.swap(h);
    h.resize(n, units);
    step.h_prev = h_prev.data();
    step.h = h.data();
    cell_forward(config.cell, w, step);
  }
}

/**
 * Logits of every one-word review for a one-layer bidirectional model: `sequence` with the word at
 * `at`. The forward direction reads the steps before the word once (a trace), the backward one
 * the steps after it; each then takes one batched step for every word, and the steps left on the
 * other side (the backward direction's prefix: the start token) run per row. Padding ids of a
 * masked model are left out, as the model does.
 */
void bidirectional_logits(Model& model, const std::vector<int>& sequence, int at, int first, std::vector<float>& logits) {
  const ModelConfig& config = model.config();
  const ModelWeights& weights = model.weights();
  const int units = config.units, vocab = config.vocab_size;
  auto part = [&](int from, int to) {
    std::vector<int> ids;
    for (int t = from; t < to; ++t)
      if (!config.mask_padding || sequence[t] != Vocabulary::kPadding) ids.push_back(sequence[t]);
    return ids;
  };
  const std::vector<int> prefix = part(0, at), suffix = part(at + 1, static_cast<int>(sequence.size()));
  Trace trace;
  SharedState forward, backward;
  model.trace(prefix, trace);  // the forward state after the prefix: its last row
  if (trace.steps() > 0) {
    forward.h = trace.layers[0].hidden.row(trace.steps() - 1);
    if (config.cell == CellType::Lstm) forward.c = trace.layers[0].cell.row(trace.steps() - 1);
  }
  model.trace(suffix, trace);  // the backward state after the suffix (read from its end): row 0
  if (trace.steps() > 0) {
    backward.h = trace.layers[1].hidden.row(0);
    if (config.cell == CellType::Lstm) backward.c = trace.layers[1].cell.row(0);
  }
  const std::vector<int> backward_then(prefix.rbegin(), prefix.rend());
  Matrix h_forward, h_backward;
  for (int begin = first; begin < vocab; begin += kChunk) {
    const int n = std::min(kChunk, vocab - begin);
    run_rows(model, 0, begin, n, forward, suffix, h_forward);
    run_rows(model, 1, begin, n, backward, backward_then, h_backward);
    // The head reads the forward state after the last step and the backward state after the first.
    const Vector head = h_forward * weights.head_kernel.head(units) + h_backward * weights.head_kernel.tail(units);
    for (int r = 0; r < n; ++r) logits[begin + r] = head[r] + weights.head_bias;
  }
}

/** Logits of every one-word review through BatchRunner: `sequence` with the word at `at`. */
void batched_logits(Model& model, const std::vector<int>& sequence, int at, int first, std::vector<float>& logits) {
  BatchRunner runner(model);
  const int steps = static_cast<int>(sequence.size());
  const int vocab = model.config().vocab_size;
  std::vector<int> ids;
  for (int begin = first; begin < vocab; begin += kChunk) {
    const int n = std::min(kChunk, vocab - begin);
    ids.clear();
    for (int r = 0; r < n; ++r) {
      ids.insert(ids.end(), sequence.begin(), sequence.end());
      if (at >= 0) ids[static_cast<std::size_t>(r) * steps + at] = begin + r;
    }
    runner.logits(ids.data(), n, steps, logits.data() + begin);
  }
}

}  // namespace

std::vector<float> word_effects(Model& model) {
  const ModelConfig& config = model.config();
  const int first = Vocabulary::kFirstWord, vocab = config.vocab_size;
  std::vector<float> effects(static_cast<std::size_t>(std::max(vocab, 0)), 0.0f);
  if (vocab <= first) return effects;

  const float empty = model.logit(make_sequence(std::vector<int>{}, config.sequence).ids);
  // Where a one-word review puts its word; every word's sequence is this one with that id replaced.
  const Sequence probe = make_sequence(std::vector<int>{first}, config.sequence);
  const int at = probe.position[0];  // -1: truncated away (a window too small to hold it)
  const bool last = at >= 0 && at + 1 == static_cast<int>(probe.ids.size());

  std::vector<float> logits(effects.size(), 0.0f);
  // A pooled head reads every step's state, not only the state after the word: those models run
  // each one-word review whole, through BatchRunner.
  const bool reads_last = config.pooling == Pooling::Last;
  if (reads_last && !config.bidirectional && last) {
    // The steps before the word are the same for every word: run them once.
    last_step_logits(model, std::vector<int>(probe.ids.begin(), probe.ids.end() - 1), first, logits);
  } else if (reads_last && config.bidirectional && config.layers == 1 && at >= 0) {
    bidirectional_logits(model, probe.ids, at, first, logits);
  } else {
    // A stacked bidirectional model (the layer above reads both directions at every step) or a
    // pooled head: nothing is shared between words; BatchRunner runs each one-word review.
    batched_logits(model, probe.ids, at, first, logits);
  }
  for (int id = first; id < vocab; ++id) effects[id] = logits[id] - empty;
  return effects;
}

bool WordNeighbours::is_word(int id) const {
  return id >= Vocabulary::kFirstWord && id < model_.config().vocab_size;
}

void WordNeighbours::ensure_norms() {
  if (!norms_.empty()) return;
  const Matrix& embedding = model_.weights().embedding;  // [vocab × embedding_dim]
  norms_.resize(static_cast<std::size_t>(embedding.rows()));
  for (Eigen::Index i = 0; i < embedding.rows(); ++i) norms_[i] = embedding.row(i).norm();
}

float WordNeighbours::similarity(int a, int b) const {
  const Matrix& embedding = model_.weights().embedding;
  const float norms = norms_[a] * norms_[b];
  return norms > 0.0f ? embedding.row(a).dot(embedding.row(b)) / norms : 0.0f;
}

std::vector<WordSimilarity> WordNeighbours::nearest(int id, int k) {
  if (!is_word(id) || k <= 0) return {};
  ensure_norms();
  const int first = Vocabulary::kFirstWord, vocab = model_.config().vocab_size;
  // All rows against row id in one product: [vocab − first × E]·[E].
  const Matrix& embedding = model_.weights().embedding;
  const Vector dots = embedding.bottomRows(vocab - first) * embedding.row(id).transpose();
  std::vector<WordSimilarity> scores;
  scores.reserve(static_cast<std::size_t>(vocab - first));
  for (int other = first; other < vocab; ++other) {
    if (other == id) continue;
    const float norms = norms_[id] * norms_[other];
    scores.push_back({other, norms > 0.0f ? dots[other - first] / norms : 0.0f});
  }
  const std::size_t count = std::min(static_cast<std::size_t>(k), scores.size());
  std::partial_sort(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(count), scores.end(),
                    [](const WordSimilarity& a, const WordSimilarity& b) {
                      return a.similarity > b.similarity || (a.similarity == b.similarity && a.id < b.id);
                    });
  scores.resize(count);
  return scores;
}

const std::vector<float>& WordNeighbours::effects() {
  if (effects_.empty()) effects_ = word_effects(model_);
  return effects_;
}

std::vector<WordEffect> WordNeighbours::opposite(int id, int k) {
  if (!is_word(id) || k <= 0) return {};
  const std::vector<float>& effect = effects();
  ensure_norms();
  const bool positive = effect[id] >= 0.0f;
  std::vector<WordEffect> candidates;
  for (int other = Vocabulary::kFirstWord; other < model_.config().vocab_size; ++other) {
    const float e = effect[other];
    if (other != id && (positive ? e < 0.0f : e >= 0.0f)) candidates.push_back({other, e});
  }
  // The shortlist: the strongest opposite words.
  const std::size_t shortlist = std::min(candidates.size(), static_cast<std::size_t>(std::max(4 * k, 32)));
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(shortlist),
                    candidates.end(), [](const WordEffect& a, const WordEffect& b) {
                      const float x = std::fabs(a.effect), y = std::fabs(b.effect);
                      return x > y || (x == y && a.id < b.id);
                    });
  candidates.resize(shortlist);
  // Then the nearest of them in the embedding first.
  std::vector<std::pair<float, WordEffect>> ranked;
  ranked.reserve(shortlist);
  for (const WordEffect& c : candidates) ranked.push_back({similarity(id, c.id), c});
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second.id < b.second.id);
  });
  std::vector<WordEffect> out;
  for (std::size_t i = 0; i < ranked.size() && static_cast<int>(i) < k; ++i) out.push_back(ranked[i].second);
  return out;
}

}  // namespace unroll
