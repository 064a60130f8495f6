#pragma once
// The network: embedding → stacked (bi)directional recurrent layers → dense + sigmoid.

#include <memory>
#include <vector>

#include "nn/config.h"
#include "nn/trace.h"
#include "nn/weights.h"
#include "text/vocabulary.h"
#include "util/result.h"

namespace unroll {

class RecurrentLayer;

/**
 * One knocked-out unit (core/nn/knockout.h): h_t[unit] of layer `layer`, direction `direction`
 * (0 forward, 1 backward) is fixed at `value` after every step. 0 silences the unit.
 */
struct Knockout {
  int layer = 0;
  int direction = 0;
  int unit = 0;
  float value = 0.0f;  // within [-1, 1], where every hidden state lives
};

/**
 * A loaded, ready-to-run model. Scratch buffers are sized on first use for a sequence length and
 * reused, so predict() allocates nothing per time step (and nothing at all once warmed up for
 * that length). Not thread-safe: one Model per thread.
 */
class Model {
 public:
  /**
   * Checks every shape against the configuration, the vocabulary size against the embedding, and
   * every weight within ±65504 (larger finite weights can overflow the forward pass to NaN).
   */
  static Result<Model> create(ModelConfig config, ModelWeights weights, Vocabulary vocabulary);

  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  const ModelConfig& config() const { return config_; }
  const ModelWeights& weights() const { return weights_; }
  const Vocabulary& vocabulary() const { return vocabulary_; }
  /**
   * One direction of one layer, index layer·directions + direction: its weights packed for the
   * kernels (BatchRunner reads them rather than packing its own copy).
   */
  const RecurrentLayer& layer(int index) const;

  /**
   * Logit of the positive class for an id sequence (ids outside [0, vocab) read as
   * out-of-vocabulary). With config().mask_padding (Keras mask_zero), padding ids (0) leave every
   * state unchanged, in both directions, so they are not run at all: the pass reads the other ids
   * only, and the bidirectional head sees the forward state after the last word and the backward
   * state after the first. config().sequence of such a model does not pad (sequence.pad false).
   */
  float logit(const std::vector<int>& ids);
  /** sigmoid(logit(ids)). An empty sequence reads as the head applied to h_0 = 0. */
  float predict(const std::vector<int>& ids);
  /**
   * The same pass, recording every state into `trace` (its buffers are reused across calls).
   * trace.ids are the steps run: `ids` without padding for a masked model.
   */
  void trace(const std::vector<int>& ids, Trace& trace);

  /**
   * Fixes units at a value in every later pass (logit, predict, trace; not BatchRunner, which
   * evaluates the model as trained). Replaces the previous knockouts; an empty list restores the
   * model. If one is out of range (layer, direction, unit, or a value outside [-1, 1]) none is
   * applied and the Error names it. A unit listed twice takes the last value.
   */
  Status set_knockouts(std::vector<Knockout> knockouts);
  const std::vector<Knockout>& knockouts() const { return knockouts_; }

 private:
  Model(ModelConfig config, ModelWeights weights, Vocabulary vocabulary);
  float run(const std::vector<int>& ids, Trace* trace);
  /** The ids a pass runs: `ids`, or for a masked model `ids` without padding (in words_). */
  const std::vector<int>& steps_of(const std::vector<int>& ids);
  /** Fills input_parts_ with x_t·W for layer 0 in one direction. */
  void first_layer_input(const std::vector<int>& ids, int direction);

  ModelConfig config_;
  ModelWeights weights_;
  Vocabulary vocabulary_;
  std::vector<std::unique_ptr<RecurrentLayer>> layers_;  // layer·directions + direction
  std::vector<Matrix> input_tables_;  // per direction [vocab_size × G·units] = embedding·W, if small enough
  Matrix sequence_[2];   // ping-pong [≥steps × units·directions] between stacked layers
  Matrix input_parts_;   // [≥steps × G·units] x_t·W of the layer being run
  Matrix embedded_;      // [≥steps × embedding_dim] when there is no input table
  std::vector<int> words_;  // masked models: the ids of the last pass without padding
  std::vector<Knockout> knockouts_;
};

float sigmoid(float x);

}  // namespace unroll
