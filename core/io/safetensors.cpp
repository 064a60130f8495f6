#include "io/safetensors.h"
#include "io/json_depth.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

namespace unroll {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// A header larger than this is not a model of ours: refusing it early keeps a corrupt length from
// making the browser tab allocate gigabytes.
constexpr std::uint64_t kMaxHeaderBytes = 100ull * 1000 * 1000;

std::uint64_t read_u64_le(const std::uint8_t* p) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

void append_u64_le(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::uint32_t float_bits(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

float bits_float(std::uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

std::size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::F16: return 2;
    case DType::I8: return 1;
    case DType::F32: break;
  }
  return 4;
}

/** Collects the first parse error's description; builds nothing (used only after a failure). */
class ErrorCollector : public nlohmann::json_sax<Json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    if (message.empty()) message = e.what();
    return false;
  }
  std::string message;
};

/** nlohmann's message without its "[json.exception.parse_error.101] " prefix. */
std::string describe_json_error(std::string_view text) {
  ErrorCollector collector;
  Json::sax_parse(text.begin(), text.end(), &collector);
  std::string message = collector.message;
  if (!message.empty() && message[0] == '[') {
    const auto close = message.find("] ");
    if (close != std::string::npos) message.erase(0, close + 2);
  }
  return message.empty() ? "parse error" : message;
}

/** Parses `text` without exceptions; errors start with `what` ("header"). */
Result<Json> parse_json_text(std::string_view text, std::string_view what) {
  const int depth = json_nesting_depth(text);
  if (depth > kMaxJsonDepth) {
    return Error{std::string(what) + " is nested " + std::to_string(depth) +
                 " levels deep (at most " + std::to_string(kMaxJsonDepth) + " allowed)"};
  }
  Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return Error{std::string(what) + " is not valid JSON: " + describe_json_error(text)};
  }
  return json;
}

}  // namespace

std::string shape_string(const std::vector<std::int64_t>& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

const char* to_string(DType dtype) {
  switch (dtype) {
    case DType::F16: return "F16";
    case DType::I8: return "I8";
    case DType::F32: break;
  }
  return "F32";
}

std::int64_t TensorView::elements() const {
  std::int64_t count = 1;
  for (std::int64_t dim : shape) count *= dim;
  return count;
}

std::vector<float> TensorView::to_floats() const {
  const std::size_t width = dtype_size(dtype);
  const std::size_t count = bytes / width;
  std::vector<float> values(count);
  // Assembled byte by byte: the data need not be aligned, and the file is little-endian whatever
  // the host is.
  if (dtype == DType::F32) {
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint8_t* p = data + 4 * i;
      values[i] = bits_float(std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 |
                             std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24);
    }
  } else if (dtype == DType::F16) {
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint8_t* p = data + 2 * i;
      values[i] = half_to_float(static_cast<std::uint16_t>(p[0] | p[1] << 8));
    }
  } else {
    for (std::size_t i = 0; i < count; ++i) values[i] = static_cast<std::int8_t>(data[i]);
  }
  return values;
}

const TensorView* SafetensorsFile::find(std::string_view name) const {
  for (const TensorView& tensor : tensors) {
    if (tensor.name == name) return &tensor;
  }
  return nullptr;
}

namespace {

struct ParsedEntry {
  TensorView view;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

/** Validates one tensor entry of the header (everything that does not involve other tensors). */
Result<ParsedEntry> parse_entry(const std::string& name, const Json& entry,
                                const std::uint8_t* data, std::uint64_t data_size,
                                const std::string& prefix) {
  const std::string tensor = "tensor '" + name + "'";
  if (!entry.is_object()) return Error{prefix + "header entry for " + tensor + " is not an object"};
  ParsedEntry parsed;
  parsed.view.name = name;

  const auto dtype = entry.find("dtype");
  if (dtype == entry.end()) return Error{prefix + tensor + " has no 'dtype'"};
  if (!dtype->is_string()) return Error{prefix + "'dtype' of " + tensor + " is not a string"};
  const std::string& dtype_name = dtype->get_ref<const std::string&>();
  if (dtype_name == "F32") {
    parsed.view.dtype = DType::F32;
  } else if (dtype_name == "F16") {
    parsed.view.dtype = DType::F16;
  } else if (dtype_name == "I8") {
    parsed.view.dtype = DType::I8;
  } else {
    return Error{prefix + "unknown dtype '" + dtype_name + "' for " + tensor +
                 " (this build reads F32, F16 and I8)"};
  }

  const auto shape = entry.find("shape");
  if (shape == entry.end()) return Error{prefix + tensor + " has no 'shape'"};
  const std::string bad_shape =
      prefix + "'shape' of " + tensor + " is not a list of non-negative integers";
  if (!shape->is_array()) return Error{bad_shape};
  // The byte count is accumulated with overflow checks: shape values come from an untrusted file.
  const std::uint64_t width = dtype_size(parsed.view.dtype);
  std::uint64_t needed = width;
  bool overflow = false;
  for (const Json& dim : *shape) {
    if (!dim.is_number_unsigned()) return Error{bad_shape};
    const std::uint64_t value = dim.get<std::uint64_t>();
    if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return Error{bad_shape};
    }
    parsed.view.shape.push_back(static_cast<std::int64_t>(value));
    if (value != 0 && needed > std::numeric_limits<std::uint64_t>::max() / value) {
      overflow = true;
    }
    needed *= value;
  }
  if (overflow) {
    return Error{prefix + tensor + " has shape " + shape_string(parsed.view.shape) +
                 ", too large for the file"};
  }

  const auto offsets = entry.find("data_offsets");
  if (offsets == entry.end()) return Error{prefix + tensor + " has no 'data_offsets'"};
  if (!offsets->is_array() || offsets->size() != 2 || !(*offsets)[0].is_number_unsigned() ||
      !(*offsets)[1].is_number_unsigned()) {
    return Error{prefix + "'data_offsets' of " + tensor + " is not [begin, end]"};
  }
  parsed.begin = (*offsets)[0].get<std::uint64_t>();
  parsed.end = (*offsets)[1].get<std::uint64_t>();
  const std::string offsets_text =
      "[" + std::to_string(parsed.begin) + "," + std::to_string(parsed.end) + "]";
  if (parsed.begin > parsed.end) {
    return Error{prefix + tensor + " has data_offsets " + offsets_text + " with begin after end"};
  }
  if (parsed.end > data_size) {
    return Error{prefix + tensor + " has data_offsets " + offsets_text +
                 " past the end of the data (" + std::to_string(data_size) + " bytes)"};
  }
  if (parsed.end - parsed.begin != needed) {
    return Error{prefix + tensor + " has " + std::to_string(parsed.end - parsed.begin) +
                 " bytes of data, but " + dtype_name + " shape " + shape_string(parsed.view.shape) +
                 " needs " + std::to_string(needed)};
  }
  parsed.view.data = data + parsed.begin;
  parsed.view.bytes = static_cast<std::size_t>(needed);
  return parsed;
}

}  // namespace

Result<SafetensorsFile> parse_safetensors(const std::uint8_t* data, std::size_t size,
                                          std::string_view file_name) {
  const std::string prefix = std::string(file_name) + ": ";
  if (size < 8) {
    return Error{prefix + "file is " + std::to_string(size) +
                 " bytes long, too short for a safetensors header"};
  }
  // Everything is checked against the buffer before anything is allocated, so a corrupt length
  // (2^63, say) is an error message rather than a failed multi-exabyte allocation.
  const std::uint64_t header_size = read_u64_le(data);
  if (header_size > size - 8) {
    return Error{prefix + "header length " + std::to_string(header_size) +
                 " runs past the end of the file (" + std::to_string(size) + " bytes)"};
  }
  if (header_size > kMaxHeaderBytes) {
    return Error{prefix + "header length " + std::to_string(header_size) +
                 " exceeds the limit of 100 MB"};
  }
  const std::string_view header_text(reinterpret_cast<const char*>(data + 8),
                                     static_cast<std::size_t>(header_size));
  const std::uint8_t* tensor_data = data + 8 + header_size;
  const std::uint64_t data_size = size - 8 - header_size;

  Result<Json> parsed = parse_json_text(header_text, "header");
  if (!parsed) return Error{prefix + parsed.error()};
  const Json& header = parsed.value();
  if (!header.is_object()) return Error{prefix + "header is not a JSON object"};

  SafetensorsFile file;
  std::vector<ParsedEntry> entries;
  for (const auto& item : header.items()) {
    const std::string& key = item.key();
    const Json& value = item.value();
    if (key == "__metadata__") {
      if (!value.is_object()) return Error{prefix + "'__metadata__' is not a JSON object"};
      for (const auto& meta : value.items()) {
        if (!meta.value().is_string()) {
          return Error{prefix + "metadata '" + meta.key() + "' is not a string"};
        }
        file.metadata[meta.key()] = meta.value().get<std::string>();
      }
      continue;
    }
    Result<ParsedEntry> entry = parse_entry(key, value, tensor_data, data_size, prefix);
    if (!entry) return Error{entry.error()};
    entries.push_back(std::move(entry).value());
  }

  // Sorted by offsets, the tensors must tile the data section exactly: any overlap means two
  // tensors share bytes, any gap means bytes that belong to nothing (a truncated or spliced file).
  std::sort(entries.begin(), entries.end(), [](const ParsedEntry& a, const ParsedEntry& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.end != b.end) return a.end < b.end;
    return a.view.name < b.view.name;
  });
  std::uint64_t covered = 0;
  const ParsedEntry* previous = nullptr;
  for (const ParsedEntry& entry : entries) {
    if (entry.begin < covered) {
      return Error{prefix + "tensors '" + previous->view.name + "' and '" + entry.view.name +
                   "' overlap"};
    }
    if (entry.begin > covered) {
      return Error{prefix + "bytes " + std::to_string(covered) + ".." +
                   std::to_string(entry.begin) + " of the data belong to no tensor (gap before '" +
                   entry.view.name + "')"};
    }
    // A zero-size tensor must not let a later one start inside the tensor before it.
    if (entry.end > covered || previous == nullptr) {
      covered = entry.end;
      previous = &entry;
    }
  }
  if (covered != data_size) {
    return Error{prefix + "bytes " + std::to_string(covered) + ".." + std::to_string(data_size) +
                 " of the data belong to no tensor (after the last tensor)"};
  }
  file.tensors.reserve(entries.size());
  for (ParsedEntry& entry : entries) file.tensors.push_back(std::move(entry.view));
  return file;
}

std::string write_safetensors(const std::vector<TensorToWrite>& tensors,
                              const std::map<std::string, std::string>& metadata) {
  // ordered_json keeps the header readable: metadata first, then tensors in data order.
  OrderedJson header = OrderedJson::object();
  if (!metadata.empty()) {
    OrderedJson meta = OrderedJson::object();
    for (const auto& [key, value] : metadata) meta[key] = value;
    header["__metadata__"] = std::move(meta);
  }
  std::uint64_t offset = 0;
  std::vector<std::size_t> counts;
  for (const TensorToWrite& tensor : tensors) {
    std::size_t count = 1;
    for (std::int64_t dim : tensor.shape) count *= static_cast<std::size_t>(dim);
    counts.push_back(count);
    const std::uint64_t bytes = count * dtype_size(tensor.dtype);
    header[tensor.name] = {{"dtype", to_string(tensor.dtype)},
                           {"shape", tensor.shape},
                           {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  // JSON cannot hold invalid UTF-8; replacing it (with U+FFFD) is the only way not to fail here.
  std::string text = header.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
  // Padding keeps the data 8-byte aligned relative to the file start, as the format recommends.
  text.append((8 - text.size() % 8) % 8, ' ');

  std::string out;
  out.reserve(8 + text.size() + offset);
  append_u64_le(out, text.size());
  out += text;
  for (std::size_t t = 0; t < tensors.size(); ++t) {
    const TensorToWrite& tensor = tensors[t];
    assert(tensor.values != nullptr || counts[t] == 0);
    for (std::size_t i = 0; i < counts[t]; ++i) {
      if (tensor.dtype == DType::F32) {
        const std::uint32_t bits = float_bits(tensor.values[i]);
        for (int b = 0; b < 4; ++b) out.push_back(static_cast<char>((bits >> (8 * b)) & 0xff));
      } else if (tensor.dtype == DType::F16) {
        const std::uint16_t half = float_to_half(tensor.values[i]);
        out.push_back(static_cast<char>(half & 0xff));
        out.push_back(static_cast<char>(half >> 8));
      } else {
        // NaN (which a checked writer never passes) becomes 0 rather than undefined behaviour.
        const float rounded = std::nearbyint(tensor.values[i]);
        const float value = std::isnan(rounded) ? 0.0f : std::clamp(rounded, -128.0f, 127.0f);
        out.push_back(static_cast<char>(static_cast<std::int8_t>(value)));
      }
    }
  }
  return out;
}

std::uint16_t float_to_half(float value) {
  const std::uint32_t bits = float_bits(value);
  const std::uint16_t sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000);
  const std::uint32_t magnitude = bits & 0x7fffffff;
  if (magnitude > 0x7f800000) {
    // NaN stays NaN: keep the top payload bits and force the quiet bit so it cannot become inf.
    return static_cast<std::uint16_t>(sign | 0x7e00 | ((magnitude >> 13) & 0x3ff));
  }
  // 65520 (halfway between 65504, the largest half, and 65536) and above round to infinity.
  if (magnitude >= 0x477ff000) return static_cast<std::uint16_t>(sign | 0x7c00);
  const std::uint32_t exponent = magnitude >> 23;
  if (exponent >= 113) {
    // Normal half: rebias the exponent (127 → 15), keep 10 mantissa bits, round the 13 dropped
    // bits to nearest even. A carry out of the mantissa correctly bumps the exponent.
    std::uint32_t half = ((exponent - 112) << 10) | ((magnitude >> 13) & 0x3ff);
    const std::uint32_t rest = magnitude & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1))) ++half;
    return static_cast<std::uint16_t>(sign | half);
  }
  // Below 2^-25 everything rounds to zero (2^-25 itself is a tie that goes to the even zero).
  if (exponent < 102) return sign;
  // Subnormal half: value / 2^-24, rounded to nearest even. Rounding up from the largest
  // subnormal gives 0x400, which is exactly the smallest normal.
  const std::uint32_t mantissa = (magnitude & 0x7fffff) | 0x800000;
  const std::uint32_t shift = 126 - exponent;  // 14 … 24
  std::uint32_t half = mantissa >> shift;
  const std::uint32_t rest = mantissa & ((1u << shift) - 1);
  const std::uint32_t halfway = 1u << (shift - 1);
  if (rest > halfway || (rest == halfway && (half & 1))) ++half;
  return static_cast<std::uint16_t>(sign | half);
}

float half_to_float(std::uint16_t half) {
  const std::uint32_t sign = static_cast<std::uint32_t>(half & 0x8000) << 16;
  const std::uint32_t exponent = (half >> 10) & 0x1f;
  std::uint32_t mantissa = half & 0x3ff;
  if (exponent == 0x1f) return bits_float(sign | 0x7f800000 | (mantissa << 13));  // inf, NaN
  if (exponent != 0) return bits_float(sign | ((exponent + 112) << 23) | (mantissa << 13));
  if (mantissa == 0) return bits_float(sign);  // ±0
  // Subnormal half: every one is a normal float. Shift the leading 1 up to the implicit bit.
  std::uint32_t float_exponent = 113;
  while (!(mantissa & 0x400)) {
    mantissa <<= 1;
    --float_exponent;
  }
  return bits_float(sign | (float_exponent << 23) | ((mantissa & 0x3ff) << 13));
}

}  // namespace unroll
