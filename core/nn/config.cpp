#include "nn/config.h"

#include <string>

namespace unroll {

const char* to_string(CellType cell) {
  switch (cell) {
    case CellType::SimpleRnn: return "simple_rnn";
    case CellType::Lstm: return "lstm";
    case CellType::Gru: return "gru";
  }
  return "unknown";
}

Result<CellType> parse_cell_type(std::string_view name) {
  if (name == "simple_rnn") return CellType::SimpleRnn;
  if (name == "lstm") return CellType::Lstm;
  if (name == "gru") return CellType::Gru;
  return Error{"unknown cell type '" + std::string(name) + "' (expected simple_rnn, lstm or gru)"};
}

const char* to_string(Pooling pooling) {
  switch (pooling) {
    case Pooling::Last: return "last";
    case Pooling::Mean: return "mean";
    case Pooling::Max: return "max";
  }
  return "unknown";
}

Result<Pooling> parse_pooling(std::string_view name) {
  if (name == "last") return Pooling::Last;
  if (name == "mean") return Pooling::Mean;
  if (name == "max") return Pooling::Max;
  return Error{"unknown pooling '" + std::string(name) + "' (expected last, mean or max)"};
}

int gate_count(CellType cell) {
  switch (cell) {
    case CellType::SimpleRnn: return 1;
    case CellType::Lstm: return 4;
    case CellType::Gru: return 3;
  }
  return 1;
}

namespace {
// Bounds generous enough for any model this project trains, tight enough that a corrupt file
// cannot ask for gigabytes before its tensors are even looked at.
constexpr int kMaxVocabulary = 1 << 21;
constexpr int kMaxWidth = 4096;
constexpr int kMaxLayers = 16;
constexpr int kMaxSequence = 1 << 20;

Status out_of_range(const char* what, long long value, long long low, long long high) {
  return Error{std::string("config ") + what + " is " + std::to_string(value) + ", expected " +
               std::to_string(low) + ".." + std::to_string(high)};
}
}  // namespace

Status ModelConfig::validate() const {
  if (vocab_size < 4 || vocab_size > kMaxVocabulary)
    return out_of_range("vocab_size", vocab_size, 4, kMaxVocabulary);
  if (embedding_dim < 1 || embedding_dim > kMaxWidth)
    return out_of_range("embedding_dim", embedding_dim, 1, kMaxWidth);
  if (units < 1 || units > kMaxWidth) return out_of_range("units", units, 1, kMaxWidth);
  if (layers < 1 || layers > kMaxLayers) return out_of_range("layers", layers, 1, kMaxLayers);
  if (sequence.maxlen < 0 || sequence.maxlen > kMaxSequence)
    return out_of_range("maxlen", sequence.maxlen, 0, kMaxSequence);
  return Status::success();
}

}  // namespace unroll
