#pragma once
// One time step of a recurrent cell, for `rows` sequences at once. Every pass of the engine runs
// its cells through these two functions, so each cell's equations are written once (in
// simple_rnn_cell.cpp, gru_cell.cpp and lstm_cell.cpp, whose element-wise forward step is the
// kernel kernels::lstm_update, fused in the wasm SIMD build):
//   - the single-sequence pass with its trace (RecurrentLayer, rows = 1),
//   - the batched runner (BatchRunner, rows = reviews in the chunk),
//   - the training pass (train::RecurrentPass, rows = the mini-batch), which also runs
//     cell_backward, the step of backpropagation through time.
// Row r of every block below belongs to sequence r. n = units, G = gate_count(cell).

#include "nn/config.h"
#include "nn/tensor.h"
#include "nn/weights.h"

namespace unroll {

namespace kernels {
struct PackedMatrix;
}

/** Where one forward step reads and writes. The caller owns every buffer; a step allocates nothing. */
struct CellStep {
  int rows = 1;
  const float* const* input = nullptr;  // [rows] → x_t·W of each row [G·n], without bias
  const float* h_prev = nullptr;        // [rows × n], rows h_prev_stride apart; nullptr: h_0 = 0
  int h_prev_stride = 0;
  float* h = nullptr;                   // [rows × n], rows h_stride apart; never h_prev's memory
  int h_stride = 0;
  float* recurrent = nullptr;           // [rows × G·n] out: h_{t-1}·U (without GRU's b')
  float* gates = nullptr;               // [rows × G·n] out: after activation (SimpleRNN: h)
  float* preactivation = nullptr;       // [rows × G·n] out, optional: what the activations read
  const float* cell_prev = nullptr;     // LSTM [rows × n] c_{t-1}; nullptr: c_0 = 0
  float* cell = nullptr;                // LSTM [rows × n] out: c_t (may be cell_prev: in place)
  // U packed by kernels::pack, kept where the weights are fixed (a Model's RecurrentLayer, which
  // BatchRunner reads too); the product reads it instead of weights.recurrent_kernel. nullptr: U.
  const kernels::PackedMatrix* packed_recurrent_kernel = nullptr;
};

/** h_t (and c_t) = cell(x_t, h_{t-1}, c_{t-1}) for every row of `step`. */
void cell_forward(CellType cell, const RecurrentWeights& weights, const CellStep& step);

// What every cell's forward step starts with (cell.cpp).

/**
 * step.recurrent = h_{t-1}·U for every row, in one product (with step.packed_recurrent_kernel if
 * given); zero when h_{t-1} is h_0 = 0.
 */
void recurrent_product(const RecurrentWeights& weights, const CellStep& step);

/**
 * Row r's gates = x_t·W + h_{t-1}·U + b over all G·n columns, copied to step.preactivation when
 * it is recorded; returns the row's gates (to be activated in place). SimpleRNN only: the LSTM's
 * sum is the first pass of kernels::lstm_update, and GRU's reset gate enters its candidate's
 * pre-activation, so it adds its own.
 */
float* add_preactivations(const RecurrentWeights& weights, const CellStep& step, int r);

using ConstRows = Eigen::Ref<const Matrix>;
using Rows = Eigen::Ref<Matrix>;

/**
 * What one backward step reads: the forward step's values, kept by the caller, for `rows`
 * sequences ([rows × n] or [rows × G·n], as in CellStep). Unused entries (`cell` for a GRU, …)
 * may be empty matrices.
 */
struct CellBackwardInput {
  ConstRows d_h;        // dLoss/dh_t: from the layer above or the head, plus from step t+1
  ConstRows h_prev;     // h_{t-1}
  ConstRows h;          // h_t (SimpleRNN)
  ConstRows gates;      // activated gates (LSTM, GRU)
  ConstRows recurrent;  // h_{t-1}·U (GRU)
  ConstRows cell_prev;  // c_{t-1} (LSTM)
  ConstRows cell;       // c_t (LSTM)
};

/** What one backward step writes. */
struct CellBackwardOutput {
  Rows d_input;      // [rows × G·n] dLoss/d(x_t·W + b)
  Rows d_recurrent;  // [rows × G·n] dLoss/d(h_{t-1}·U + b')
  Matrix& d_h_prev;  // [rows × n] dLoss/dh_{t-1} through this step
  Matrix& d_cell;    // LSTM [rows × n]: dLoss/dc_t from step t+1 in, dLoss/dc_{t-1} out
};

/**
 * out = rows · matrixᵀ through kernels::matrix_product_transposed (SIMD in the wasm-simd build):
 * `rows` [r × k] (any row stride), `matrix` [m × k] dense; `out` is resized to [r × m]. The
 * products of backpropagation: d(pre-activation)·Uᵀ, d(pre-activation)·Wᵀ.
 */
void transposed_product(ConstRows rows, const Matrix& matrix, Matrix& out);

/** Backpropagation through one step of `cell` (the derivative of cell_forward). */
void cell_backward(CellType cell, const RecurrentWeights& weights, const CellBackwardInput& in,
                   CellBackwardOutput out);

}  // namespace unroll
