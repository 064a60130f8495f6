#include "nn/batch.h"

#include <algorithm>
#include <cstddef>

#include "kernels/kernels.h"
#include "text/vocabulary.h"

#if defined(UNROLL_WASM_SIMD)
#include <wasm_simd128.h>
#endif

namespace unroll {

namespace {

// Same rule as Model: above this many floats per direction, layer 0 multiplies the gathered
// embeddings by its kernel at run time instead of keeping embedding·W for every word.
constexpr Eigen::Index kMaxInputTableFloats = Eigen::Index(1) << 23;  // 32 MB
// Stacked models keep the sequence a lower layer hands to the one above; the chunk shrinks so
// that this buffer stays below this size.
constexpr std::size_t kSequenceBudgetBytes = std::size_t(32) << 20;

#if defined(UNROLL_WASM_SIMD)
// C[m × n] = A[m × k]·B[k × n], all row-major; A and C with row strides lda, ldc, B dense.
// Eigen 3.4 has no WebAssembly SIMD backend (its GEMM would run on scalar packets), so the
// product is a small register-blocked kernel: R rows of A by 4·V columns of B per block,
// R × V f32x4 accumulators.
//
//              k →                       4·V columns (V × f32x4)
//   A rows  [ a a a … ]  splat a[r][p] ·  B row p [ b b b b | b b b b | … ]  → acc[r][0 … V)
//
// The panel of B (k × 16·V bytes) stays in L1 while every row block of A goes past it.
template <int R, int V>
inline void block(const float* a, int lda, int k, const float* b, int n, float* c, int ldc) {
  v128_t acc[R][V];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) acc[r][v] = wasm_f32x4_splat(0.0f);
  for (int p = 0; p < k; ++p) {
    v128_t bv[V];
    for (int v = 0; v < V; ++v) bv[v] = wasm_v128_load(b + std::size_t(p) * n + 4 * v);
    for (int r = 0; r < R; ++r) {
      const v128_t x = wasm_f32x4_splat(a[std::size_t(r) * lda + p]);
      for (int v = 0; v < V; ++v) acc[r][v] = wasm_f32x4_add(acc[r][v], wasm_f32x4_mul(x, bv[v]));
    }
  }
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) wasm_v128_store(c + std::size_t(r) * ldc + 4 * v, acc[r][v]);
}


void matmul(const float* a, int lda, int m, int k, const float* b, int n, float* c, int ldc) {
  if (m == 1) {  // one review: the hand-written vector-matrix kernel
    kernels::vector_matrix(a, k, b, n, c);
    return;
  }
  // 2 rows × 16 columns: 8 accumulators, 4 B vectors, 1 splat. Measured in node (V8, x64) against
  // 6×8, 4×8, 3×16, 4×12 and 2×8 on the seed-rnn shape: more rows spill registers, fewer columns
  // reload the A scalar too often.
  constexpr int kRows = 2;
  constexpr int kVecs = 4;
  constexpr int kCols = 4 * kVecs;
  int j = 0;
  for (; j + kCols <= n; j += kCols) {
    int i = 0;
    for (; i + kRows <= m; i += kRows)
      block<kRows, kVecs>(a + std::size_t(i) * lda, lda, k, b + j, n, c + std::size_t(i) * ldc + j, ldc);
    for (; i < m; ++i)
      block<1, kVecs>(a + std::size_t(i) * lda, lda, k, b + j, n, c + std::size_t(i) * ldc + j, ldc);
  }
  for (; j + 4 <= n; j += 4) {
    for (int i = 0; i < m; ++i)
      block<1, 1>(a + std::size_t(i) * lda, lda, k, b + j, n, c + std::size_t(i) * ldc + j, ldc);
  }
  for (; j < n; ++j) {  // columns past the last multiple of 4
    for (int i = 0; i < m; ++i) {
      float sum = 0.0f;
      for (int p = 0; p < k; ++p) sum += a[std::size_t(i) * lda + p] * b[std::size_t(p) * n + j];
      c[std::size_t(i) * ldc + j] = sum;
    }
  }
}
#else
// Native and scalar wasm: Eigen's GEMM (SSE/AVX natively; auto-vectorised or scalar in wasm).
void matmul(const float* a, int lda, int m, int k, const float* b, int n, float* c, int ldc) {
  using Stride = Eigen::OuterStride<>;
  Eigen::Map<const Matrix, 0, Stride> lhs(a, m, k, Stride(lda));
  Eigen::Map<const Matrix> rhs(b, k, n);
  Eigen::Map<Matrix, 0, Stride> out(c, m, n, Stride(ldc));
  out.noalias() = lhs * rhs;
}
#endif

}  // namespace

BatchRunner::BatchRunner(const Model& model, int max_chunk)
    : model_(model), config_(model.config()), max_chunk_(std::max(1, max_chunk)) {
  const ModelWeights& weights = model_.weights();
  const Eigen::Index gates = gate_count(config_.cell) * config_.units;
  if (Eigen::Index(config_.vocab_size) * gates <= kMaxInputTableFloats) {
    for (int direction = 0; direction < config_.directions(); ++direction)
      input_tables_.push_back(weights.embedding * weights.rnn[direction].kernel);
  }
}

int BatchRunner::chunk_size(int steps) const {
  if (config_.layers == 1 || steps == 0) return max_chunk_;
  const std::size_t buffers = config_.layers > 2 ? 2 : 1;
  const std::size_t per_review =
      std::size_t(steps) * config_.units * config_.directions() * sizeof(float) * buffers;
  const std::size_t fit = kSequenceBudgetBytes / per_review;
  return static_cast<int>(std::clamp<std::size_t>(fit, 1, std::size_t(max_chunk_)));
}

void BatchRunner::ensure(int n, int steps) {
  auto grow = [](Matrix& m, Eigen::Index rows, Eigen::Index cols) {
    if (m.rows() < rows || m.cols() != cols) m.resize(std::max<Eigen::Index>(rows, 1), cols);
  };
  const int units = config_.units;
  const int width = units * config_.directions();
  const int gates = gate_count(config_.cell) * units;
  if (config_.layers > 1) {
    grow(sequence_[0], Eigen::Index(steps) * n, width);
    if (config_.layers > 2) grow(sequence_[1], Eigen::Index(steps) * n, width);
  }
  grow(state_[0], n, units);
  grow(state_[1], n, units);
  grow(final_, n, width);
  grow(recurrent_, n, gates);
  if (config_.layers > 1 || input_tables_.empty()) grow(input_part_, n, gates);
  if (input_tables_.empty()) grow(embedded_, n, config_.embedding_dim);
  if (config_.cell == CellType::Lstm) grow(cell_, n, units);
  if (static_cast<int>(rows_.size()) < n) rows_.resize(n);
}

void BatchRunner::logits(const int* ids, int batch, int steps, float* out) {
  const int chunk = chunk_size(steps);
  for (int begin = 0; begin < batch; begin += chunk) {
    const int n = std::min(chunk, batch - begin);
    run_chunk(ids + std::size_t(begin) * steps, n, steps, out + begin);
  }
}

void BatchRunner::predict(const int* ids, int batch, int steps, float* probabilities) {
  logits(ids, batch, steps, probabilities);
  for (int b = 0; b < batch; ++b) probabilities[b] = sigmoid(probabilities[b]);
}

void BatchRunner::run_chunk(const int* ids, int n, int steps, float* out) {
  const ModelWeights& weights = model_.weights();
  const int units = config_.units;
  const int directions = config_.directions();
  if (steps == 0) {  // the head on h_0 = 0
    std::fill(out, out + n, weights.head_bias);
    return;
  }
  ensure(n, steps);
  for (int layer = 0; layer < config_.layers; ++layer) {
    const bool top = layer == config_.layers - 1;
    const Matrix* below = layer == 0 ? nullptr : &sequence_[(layer + 1) % 2];
    Matrix* output = top ? nullptr : &sequence_[layer % 2];
    for (int direction = 0; direction < directions; ++direction)
      run_direction(layer, direction, ids, n, steps, below, output, direction * units);
  }
  // Head: [h_{T-1}(fwd), h_0(bwd)] · head.kernel + head.bias, as in Model::logit.
  for (int b = 0; b < n; ++b) {
    float logit = weights.head_bias;
    logit += final_.row(b).head(units).dot(weights.head_kernel.head(units).transpose());
    if (directions == 2)
      logit += final_.row(b).segment(units, units).dot(weights.head_kernel.tail(units).transpose());
    out[b] = logit;
  }
}

void BatchRunner::run_direction(int layer, int direction, const int* ids, int n, int steps,
                                const Matrix* below, Matrix* sequence, int column) {
  const RecurrentWeights& w = model_.weights().rnn[layer * config_.directions() + direction];
  const CellType cell = config_.cell;
  const int units = config_.units;
  const int gates = gate_count(cell) * units;
  const bool reverse = direction == 1;
  const float* bias = w.bias.data();
  const float* recurrent_bias = w.recurrent_bias.size() ? w.recurrent_bias.data() : nullptr;
  const int vocab = config_.vocab_size;
  auto word = [&](int b, int t) {
    const int id = ids[std::size_t(b) * steps + t];
    return id >= 0 && id < vocab ? id : Vocabulary::kOutOfVocabulary;
  };
  // Where h_t of review b lives: a row of the sequence buffer, or of the ping-pong state.
  const int ld = sequence ? static_cast<int>(sequence->cols()) : units;
  auto h_row = [&](int t, int b, int step_index) -> float* {
    if (sequence) return sequence->data() + (std::size_t(t) * n + b) * ld + column;
    return state_[step_index % 2].data() + std::size_t(b) * units;
  };
  if (cell == CellType::Lstm) cell_.topRows(n).setZero();
  // Above layer 0, x_t·W of every step is one product over the whole chunk's sequence (m = steps·n
  // rows: better blocking than one product per step) when that buffer fits the budget.
  const bool whole_sequence =
      layer > 0 && std::size_t(steps) * n * gates * sizeof(float) <= kSequenceBudgetBytes;
  if (whole_sequence) {
    const int in = static_cast<int>(below->cols());
    if (sequence_input_.rows() < Eigen::Index(steps) * n || sequence_input_.cols() != gates)
      sequence_input_.resize(Eigen::Index(steps) * n, gates);
    matmul(below->data(), in, steps * n, in, w.kernel.data(), gates, sequence_input_.data(), gates);
  }

  for (int i = 0; i < steps; ++i) {
    const int t = reverse ? steps - 1 - i : i;
    const int t_prev = reverse ? t + 1 : t - 1;

    // x_t·W for every review of the chunk: a row of the input table, or one product.
    if (layer == 0 && !input_tables_.empty()) {
      const Matrix& table = input_tables_[direction];
      for (int b = 0; b < n; ++b) rows_[b] = table.row(word(b, t)).data();
    } else {
      if (layer == 0) {
        for (int b = 0; b < n; ++b) embedded_.row(b) = model_.weights().embedding.row(word(b, t));
        matmul(embedded_.data(), static_cast<int>(embedded_.cols()), n, config_.embedding_dim,
               w.kernel.data(), gates, input_part_.data(), gates);
        for (int b = 0; b < n; ++b) rows_[b] = input_part_.row(b).data();
      } else if (whole_sequence) {
        for (int b = 0; b < n; ++b) rows_[b] = sequence_input_.row(std::size_t(t) * n + b).data();
      } else {
        const int in = static_cast<int>(below->cols());
        matmul(below->data() + std::size_t(t) * n * in, in, n, in, w.kernel.data(), gates,
               input_part_.data(), gates);
        for (int b = 0; b < n; ++b) rows_[b] = input_part_.row(b).data();
      }
    }

    // h_{t-1}·U for the whole chunk (h_0 = 0).
    float* recurrent = recurrent_.data();
    if (i == 0) {
      recurrent_.topRows(n).setZero();
    } else {
      matmul(h_row(t_prev, 0, i - 1), ld, n, units, w.recurrent_kernel.data(), gates, recurrent,
             gates);
    }

    // The cell's element-wise part, review by review (same order of operations as the cells).
    for (int b = 0; b < n; ++b) {
      const float* x = rows_[b];
      float* r = recurrent + std::size_t(b) * gates;
      float* h = h_row(t, b, i);
      switch (cell) {
        case CellType::SimpleRnn: {
          for (int j = 0; j < units; ++j) h[j] = x[j] + r[j] + bias[j];
          kernels::tanh_inplace(h, units);
          break;
        }
        case CellType::Lstm: {
          float* g = r;  // pre-activations, then activations, in place
          for (int j = 0; j < gates; ++j) g[j] = x[j] + r[j] + bias[j];
          kernels::sigmoid_inplace(g, 2 * units);
          kernels::tanh_inplace(g + 2 * units, units);
          kernels::sigmoid_inplace(g + 3 * units, units);
          const float* in_gate = g;
          const float* forget = g + units;
          const float* candidate = g + 2 * units;
          const float* out_gate = g + 3 * units;
          float* c = cell_.data() + std::size_t(b) * units;
          for (int j = 0; j < units; ++j) {
            c[j] = forget[j] * c[j] + in_gate[j] * candidate[j];
            h[j] = c[j];
          }
          kernels::tanh_inplace(h, units);
          for (int j = 0; j < units; ++j) h[j] *= out_gate[j];
          break;
        }
        case CellType::Gru: {
          const float* h_prev = i == 0 ? nullptr : h_row(t_prev, b, i - 1);
          float* g = r;  // z and r in place; n written into the third block
          for (int j = 0; j < 2 * units; ++j) g[j] = x[j] + bias[j] + r[j] + recurrent_bias[j];
          kernels::sigmoid_inplace(g, 2 * units);
          const float* z = g;
          const float* reset = g + units;
          float* next = g + 2 * units;  // holds h_{t-1}·U_n until overwritten by n
          for (int j = 0; j < units; ++j) {
            next[j] = x[2 * units + j] + bias[2 * units + j] +
                      reset[j] * (next[j] + recurrent_bias[2 * units + j]);
          }
          kernels::tanh_inplace(next, units);
          if (h_prev) {
            for (int j = 0; j < units; ++j) h[j] = z[j] * h_prev[j] + (1.0f - z[j]) * next[j];
          } else {
            for (int j = 0; j < units; ++j) h[j] = z[j] * 0.0f + (1.0f - z[j]) * next[j];
          }
          break;
        }
      }
    }
  }

  // The state the head (or nothing, below the top) reads: after the last step read.
  if (!sequence) {
    const float* last = state_[(steps - 1) % 2].data();
    final_.block(0, column, n, units) = Eigen::Map<const Matrix>(last, n, units);
  }
}

}  // namespace unroll
