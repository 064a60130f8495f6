#pragma once
// What a model is: its shape, read from (and written to) the model file.

#include <string>
#include <string_view>

#include "text/sequence.h"
#include "util/result.h"

namespace unroll {

enum class CellType { SimpleRnn, Lstm, Gru };

const char* to_string(CellType cell);                  // "simple_rnn" | "lstm" | "gru"
Result<CellType> parse_cell_type(std::string_view name);

/**
 * What the head reads. Last: the top layer's final state(s), as Keras' last recurrent layer with
 * return_sequences=False (forward after the last step, backward after the first). Mean / Max: the
 * element-wise mean / maximum of the top layer's output [h_fwd_t, h_bwd_t] over every step run, as
 * Keras' GlobalAveragePooling1D / GlobalMaxPooling1D after return_sequences=True (with a mask for
 * a masked model, whose padding is not run). No step: the zero vector, the head on h = 0.
 */
enum class Pooling { Last, Mean, Max };

const char* to_string(Pooling pooling);                // "last" | "mean" | "max"
Result<Pooling> parse_pooling(std::string_view name);

/** Gates fused in one kernel: SimpleRNN 1, LSTM 4 (i, f, c, o), GRU 3 (z, r, n). */
int gate_count(CellType cell);

/** The architecture: embedding → `layers` recurrent layers (each optionally bidirectional) → dense + sigmoid. */
struct ModelConfig {
  CellType cell = CellType::SimpleRnn;
  int vocab_size = 0;     // embedding rows, reserved ids included
  int embedding_dim = 0;
  int units = 0;          // per direction, same for every layer
  int layers = 1;
  bool bidirectional = false;
  SequenceOptions sequence;
  // Keras `Embedding(mask_zero=True)`: a padding step (id 0) leaves every layer's state unchanged,
  // in both directions. Inference then simply does not run padded steps; training pads its
  // batches and masks them.
  bool mask_padding = false;
  Pooling pooling = Pooling::Last;

  int directions() const { return bidirectional ? 2 : 1; }
  /** Width of what layer `layer` reads: the embedding for layer 0, else the layer below's output. */
  int input_dim(int layer) const { return layer == 0 ? embedding_dim : units * directions(); }
  /** Width of the vector the head reads: last layer's final (or pooled) state(s), concatenated. */
  int head_dim() const { return units * directions(); }
  /** Checks that every size is positive and within sane bounds; says which is not. */
  Status validate() const;
};

}  // namespace unroll
