#pragma once
// The safetensors container: 8-byte little-endian header length N, N bytes of JSON, then raw
// little-endian tensor data. https://github.com/huggingface/safetensors (format description).

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace unroll {

// I8 holds quantized values only: the model file stores the embedding as I8 with a per-row F32
// scale (model_file.h); read as floats, an I8 tensor gives its integers, unscaled.
enum class DType { F32, F16, I8 };
const char* to_string(DType dtype);  // "F32" | "F16" | "I8"

/** One tensor inside a parsed file; `data` points into the caller's buffer. */
struct TensorView {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  const std::uint8_t* data = nullptr;
  std::size_t bytes = 0;

  std::int64_t elements() const;
  /** Decodes to float32 (F16 → F32 exactly, IEEE half incl. subnormals, inf, NaN; I8 → its
   *  integer value). */
  std::vector<float> to_floats() const;
};

struct SafetensorsFile {
  std::map<std::string, std::string> metadata;  // "__metadata__": string → string only
  std::vector<TensorView> tensors;              // in file order of their data offsets
  const TensorView* find(std::string_view name) const;
};

/**
 * Parses and validates a whole file held in memory. `file_name` only prefixes error messages.
 * Rejects: fewer than 8 bytes; header length past the end or over 100 MB; invalid or non-object
 * JSON; a metadata value that is not a string; unknown dtype; shape that is not a list of
 * non-negative integers; data_offsets not [begin, end] with begin ≤ end; byte length different
 * from shape × dtype size; offsets past the end of the data; tensors overlapping; bytes in the
 * data section not covered by any tensor. The returned views point into `data`.
 */
Result<SafetensorsFile> parse_safetensors(const std::uint8_t* data, std::size_t size,
                                          std::string_view file_name);

/** A tensor to write: float32 values, stored as `dtype` (for I8: integers in [-128, 127]). */
struct TensorToWrite {
  std::string name;
  std::vector<std::int64_t> shape;
  const float* values = nullptr;  // shape product elements
  DType dtype = DType::F32;
};

/**
 * Serialises tensors (data laid out in the given order, header padded with spaces to a multiple
 * of 8) and metadata ("__metadata__" omitted when empty). Names must be unique and not
 * "__metadata__"; F16 values are rounded with float_to_half, I8 values to the nearest integer and
 * clamped to [-128, 127]. Invalid UTF-8 in names or metadata
 * is written as U+FFFD (JSON cannot hold it).
 */
std::string write_safetensors(const std::vector<TensorToWrite>& tensors,
                              const std::map<std::string, std::string>& metadata);

/** A shape as error messages print it: "[64,100]". */
std::string shape_string(const std::vector<std::int64_t>& shape);

/** float ↔ IEEE 754 half, round to nearest even. */
std::uint16_t float_to_half(float value);
float half_to_float(std::uint16_t half);

}  // namespace unroll
