// The safetensors container: writing, reading, F16 conversion, and every way a file can be broken.

#include "io/safetensors.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace unroll {
namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

std::uint32_t bits_of(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

float float_of(std::uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

/** A file from a raw header text and raw data bytes: what a hostile or broken writer produces. */
std::string raw_file(const std::string& header, const std::string& data = "") {
  std::string out;
  const std::uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  return out + header + data;
}

/** A file that claims a header of `length` bytes and holds `rest` after the length. */
std::string with_length(std::uint64_t length, const std::string& rest) {
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((length >> (8 * i)) & 0xff));
  return out + rest;
}

Result<SafetensorsFile> parse(const std::string& bytes, const char* name = "t.safetensors") {
  return parse_safetensors(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), name);
}

std::string parse_error(const std::string& bytes) {
  Result<SafetensorsFile> result = parse(bytes);
  REQUIRE_FALSE(result.ok());
  return result.error();
}

/** Two small tensors and metadata: the valid file most failure tests start from. */
std::string small_file(DType dtype = DType::F32) {
  static const float a[] = {1.0f, -2.5f, 3.25f, 0.0f, 1e-3f, -7.0f};
  static const float b[] = {0.5f, 42.0f};
  return write_safetensors({{"a", {2, 3}, a, dtype}, {"b", {2}, b, dtype}},
                           {{"format", "test"}, {"note", "ünïcode ✓"}});
}

std::uint64_t header_length(const std::string& file) {
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<std::uint8_t>(file[i]);
  return n;
}

/** Reference decoder: the value a half encodes, computed with ldexp rather than bit tricks. */
double half_value(std::uint16_t h) {
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  const double sign = (h & 0x8000) ? -1.0 : 1.0;
  if (exponent == 0) return sign * std::ldexp(mantissa, -24);
  return sign * std::ldexp(1024 + mantissa, exponent - 25);
}

/** Reference encoder for finite floats: nearest half by exhaustive comparison, ties to even. */
std::uint16_t reference_half(float value) {
  const double magnitude = std::fabs(static_cast<double>(value));
  const std::uint16_t sign = std::signbit(value) ? 0x8000 : 0;
  // The largest finite half is 65504; from 65520 (the midpoint to 2^16) on, it rounds to inf.
  if (magnitude >= 65520.0) return sign | 0x7c00;
  std::uint16_t low = 0, high = 0x7bff;  // find the largest half ≤ magnitude
  while (low < high) {
    const std::uint16_t mid = static_cast<std::uint16_t>((low + high + 1) / 2);
    if (half_value(mid) <= magnitude) {
      low = mid;
    } else {
      high = static_cast<std::uint16_t>(mid - 1);
    }
  }
  // Exact, or above 65504 but below the midpoint to infinity.
  if (half_value(low) == magnitude || low == 0x7bff) return sign | low;
  const std::uint16_t up = static_cast<std::uint16_t>(low + 1);
  const double below = magnitude - half_value(low);
  const double above = half_value(up) - magnitude;
  if (below < above) return sign | low;
  if (above < below) return sign | up;
  return sign | ((low & 1) ? up : low);
}

}  // namespace

// ---- half precision
// ------------------------------------------------------------------------------

TEST_CASE("half_to_float decodes every half exactly", "[safetensors][half]") {
  for (std::uint32_t h = 0; h <= 0xffff; ++h) {
    const std::uint16_t half = static_cast<std::uint16_t>(h);
    const float value = half_to_float(half);
    const int exponent = (h >> 10) & 0x1f;
    if (exponent == 0x1f && (h & 0x3ff) != 0) {
      REQUIRE(std::isnan(value));
      REQUIRE(std::signbit(value) == ((h & 0x8000) != 0));
    } else if (exponent == 0x1f) {
      REQUIRE(std::isinf(value));
      REQUIRE(std::signbit(value) == ((h & 0x8000) != 0));
    } else {
      REQUIRE(static_cast<double>(value) == half_value(half));
      REQUIRE(std::signbit(value) == ((h & 0x8000) != 0));  // -0 stays -0
    }
  }
}

TEST_CASE("float_to_half inverts half_to_float for every half", "[safetensors][half]") {
  for (std::uint32_t h = 0; h <= 0xffff; ++h) {
    const std::uint16_t half = static_cast<std::uint16_t>(h);
    const std::uint16_t back = float_to_half(half_to_float(half));
    if (((h >> 10) & 0x1f) == 0x1f && (h & 0x3ff) != 0) {
      // NaN stays NaN with its sign (the quiet bit may be set).
      REQUIRE((back & 0x7c00) == 0x7c00);
      REQUIRE((back & 0x3ff) != 0);
      REQUIRE((back & 0x8000) == (h & 0x8000));
    } else {
      REQUIRE(back == half);
    }
  }
}

TEST_CASE("float_to_half rounds edge cases to nearest even", "[safetensors][half]") {
  const float inf = std::numeric_limits<float>::infinity();
  CHECK(float_to_half(0.0f) == 0x0000);
  CHECK(float_to_half(-0.0f) == 0x8000);
  CHECK(float_to_half(1.0f) == 0x3c00);
  CHECK(float_to_half(-2.0f) == 0xc000);
  CHECK(float_to_half(0.1f) == 0x2e66);
  CHECK(float_to_half(1.0f / 3.0f) == 0x3555);
  CHECK(float_to_half(65504.0f) == 0x7bff);    // largest finite half
  CHECK(float_to_half(65519.996f) == 0x7bff);  // just below the midpoint
  CHECK(float_to_half(65520.0f) == 0x7c00);    // midpoint: ties to even = inf
  CHECK(float_to_half(-65520.0f) == 0xfc00);
  CHECK(float_to_half(1e10f) == 0x7c00);
  CHECK(float_to_half(std::numeric_limits<float>::max()) == 0x7c00);
  CHECK(float_to_half(inf) == 0x7c00);
  CHECK(float_to_half(-inf) == 0xfc00);
  CHECK(float_to_half(std::ldexp(1.0f, -14)) == 0x0400);     // smallest normal
  CHECK(float_to_half(std::ldexp(1023.0f, -24)) == 0x03ff);  // largest subnormal
  CHECK(float_to_half(std::ldexp(2047.0f, -25)) == 0x0400);  // rounds up into the normals
  CHECK(float_to_half(std::ldexp(1.0f, -24)) == 0x0001);     // smallest subnormal
  CHECK(float_to_half(std::ldexp(1.0f, -25)) == 0x0000);     // tie between 0 and 1 → 0
  CHECK(float_to_half(-std::ldexp(1.0f, -25)) == 0x8000);
  CHECK(float_to_half(std::nextafter(std::ldexp(1.0f, -25), 1.0f)) == 0x0001);
  CHECK(float_to_half(std::ldexp(3.0f, -25)) == 0x0002);  // tie between 1 and 2 → 2
  CHECK(float_to_half(std::ldexp(5.0f, -25)) == 0x0002);  // tie between 2 and 3 → 2
  CHECK(float_to_half(std::ldexp(1.0f, -30)) == 0x0000);
  CHECK(float_to_half(std::numeric_limits<float>::denorm_min()) == 0x0000);
  CHECK(float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3c00);  // tie → even (down)
  CHECK(float_to_half(1.0f + std::ldexp(3.0f, -11)) == 0x3c02);  // tie → even (up)
  CHECK(float_to_half(std::nextafter(1.0f + std::ldexp(1.0f, -11), 2.0f)) == 0x3c01);
  CHECK(float_to_half(2046.5f) == 0x67fe);  // tie 2046|2047 → 2046
  CHECK(float_to_half(2047.5f) == 0x6800);  // tie 2047|2048 → 2048
  CHECK(float_to_half(2049.0f) == 0x6800);  // spacing 2: tie → 2048
  CHECK(float_to_half(2051.0f) == 0x6802);  // tie 2050|2052 → 2052

  const std::uint16_t nan = float_to_half(std::numeric_limits<float>::quiet_NaN());
  CHECK((nan & 0x7c00) == 0x7c00);
  CHECK((nan & 0x3ff) != 0);
  // A signalling NaN whose payload sits only in the low 13 bits must not turn into infinity.
  const std::uint16_t low_payload = float_to_half(float_of(0x7f800001));
  CHECK((low_payload & 0x7c00) == 0x7c00);
  CHECK((low_payload & 0x3ff) != 0);
  CHECK((float_to_half(float_of(0xffc00000)) & 0x8000) == 0x8000);
}

TEST_CASE("float_to_half agrees with an exhaustive reference on sampled floats",
          "[safetensors][half]") {
  // Every 997th bit pattern, plus a dense sweep of the subnormal/normal boundary and the overflow
  // threshold, where the rounding paths change.
  std::vector<std::uint32_t> patterns;
  for (std::uint64_t bits = 0; bits < 0x7f800000; bits += 997) {
    patterns.push_back(static_cast<std::uint32_t>(bits));
  }
  for (std::uint32_t bits = 0x33000000 - 64; bits < 0x33000000 + 64; ++bits)
    patterns.push_back(bits);
  for (std::uint32_t bits = 0x38800000 - 8192; bits < 0x38800000 + 8192; ++bits) {
    patterns.push_back(bits);
  }
  for (std::uint32_t bits = 0x477fe000 - 64; bits < 0x47800000 + 64; ++bits)
    patterns.push_back(bits);
  for (std::uint32_t bits : patterns) {
    for (std::uint32_t sign : {0u, 0x80000000u}) {
      const float value = float_of(bits | sign);
      const std::uint16_t expected = reference_half(value);
      const std::uint16_t actual = float_to_half(value);
      if (actual != expected) {
        FAIL("float bits " << std::hex << (bits | sign) << ": got " << actual << ", expected "
                           << expected);
      }
    }
  }
}

// ---- valid files
// -----------------------------------------------------------------------------------

TEST_CASE("write_safetensors lays out an 8-byte aligned header and the data in order",
          "[safetensors]") {
  const std::string file = small_file();
  const std::uint64_t n = header_length(file);
  REQUIRE(n % 8 == 0);
  REQUIRE(8 + n + 4 * (6 + 2) == file.size());
  const std::string header = file.substr(8, n);
  CHECK(header.front() == '{');
  CHECK(header.find_last_not_of(' ') == header.rfind('}'));  // padding is spaces only
  // 'a' first, 'b' after it, metadata first of all.
  CHECK(header.find("__metadata__") < header.find("\"a\""));
  CHECK(header.find("\"a\"") < header.find("\"b\""));
  CHECK_THAT(header, Contains("\"data_offsets\":[0,24]"));
  CHECK_THAT(header, Contains("\"data_offsets\":[24,32]"));
  // Raw little-endian F32: 1.0f is 00 00 80 3f.
  CHECK(file.substr(8 + n, 4) == std::string("\x00\x00\x80\x3f", 4));
}

TEST_CASE("parse_safetensors reads back what write_safetensors wrote", "[safetensors]") {
  const DType dtype = GENERATE(DType::F32, DType::F16);
  const std::string file = small_file(dtype);
  Result<SafetensorsFile> result = parse(file);
  REQUIRE(result.ok());
  const SafetensorsFile& parsed = result.value();
  CHECK(parsed.metadata.size() == 2);
  CHECK(parsed.metadata.at("format") == "test");
  CHECK(parsed.metadata.at("note") == "ünïcode ✓");
  REQUIRE(parsed.tensors.size() == 2);
  CHECK(parsed.tensors[0].name == "a");
  CHECK(parsed.tensors[1].name == "b");
  const TensorView* a = parsed.find("a");
  REQUIRE(a != nullptr);
  CHECK(parsed.find("c") == nullptr);
  CHECK(a->dtype == dtype);
  CHECK(a->shape == std::vector<std::int64_t>{2, 3});
  CHECK(a->elements() == 6);
  CHECK(a->bytes == (dtype == DType::F32 ? 24u : 12u));
  const std::vector<float> values = a->to_floats();
  const std::vector<float> written = {1.0f, -2.5f, 3.25f, 0.0f, 1e-3f, -7.0f};
  REQUIRE(values.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) {
    const float expected =
        dtype == DType::F32 ? written[i] : half_to_float(float_to_half(written[i]));
    CHECK(bits_of(values[i]) == bits_of(expected));
  }
  CHECK(parsed.find("b")->to_floats() == std::vector<float>{0.5f, 42.0f});
}

TEST_CASE("I8 tensors hold integers: rounded, clamped, read back unscaled", "[safetensors]") {
  const std::vector<float> values = {0.0f, 1.4f, -1.6f, 2.5f, 127.0f, -128.0f, 300.0f, -300.0f,
                                     std::numeric_limits<float>::quiet_NaN()};
  const std::string file = write_safetensors(
      {{"q", {static_cast<std::int64_t>(values.size())}, values.data(), DType::I8}}, {});
  Result<SafetensorsFile> result = parse(file);
  REQUIRE(result.ok());
  const TensorView* q = result.value().find("q");
  REQUIRE(q != nullptr);
  CHECK(q->dtype == DType::I8);
  CHECK(q->bytes == values.size());
  CHECK(std::string(to_string(q->dtype)) == "I8");
  // Round half to even (the default rounding mode), clamp to the int8 range, NaN to 0.
  CHECK(q->to_floats() ==
        std::vector<float>{0.0f, 1.0f, -2.0f, 2.0f, 127.0f, -128.0f, 127.0f, -128.0f, 0.0f});
}

TEST_CASE("parse_safetensors accepts edge cases the format allows", "[safetensors]") {
  SECTION("no tensors and no metadata") {
    Result<SafetensorsFile> result = parse(raw_file("{}"));
    REQUIRE(result.ok());
    CHECK(result.value().tensors.empty());
    CHECK(result.value().metadata.empty());
  }
  SECTION("an unpadded header and whitespace around it") {
    REQUIRE(parse(raw_file(" {\"x\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[0,2]}}\n",
                           std::string("\x00\x3c", 2)))
                .ok());
  }
  SECTION("scalars have one element") {
    // Views point into the buffer, so it must outlive them.
    const std::string file = raw_file(R"({"x":{"dtype":"F16","shape":[],"data_offsets":[0,2]}})",
                                      std::string("\x00\x3c", 2));
    Result<SafetensorsFile> result = parse(file);
    REQUIRE(result.ok());
    CHECK(result.value().tensors[0].elements() == 1);
    CHECK(result.value().tensors[0].to_floats() == std::vector<float>{1.0f});
  }
  SECTION("zero-size tensors anywhere between others") {
    const std::string header = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                               R"("e":{"dtype":"F32","shape":[0,5],"data_offsets":[4,4]},)"
                               R"("f":{"dtype":"F16","shape":[0],"data_offsets":[0,0]},)"
                               R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})";
    const std::string file = raw_file(header, std::string(8, '\0'));
    Result<SafetensorsFile> result = parse(file);
    REQUIRE(result.ok());
    CHECK(result.value().tensors.size() == 4);
    CHECK(result.value().find("e")->elements() == 0);
    CHECK(result.value().find("e")->to_floats().empty());
  }
  SECTION("tensors listed out of data order come back in data order") {
    const std::string header = R"({"second":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},)"
                               R"("first":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
    Result<SafetensorsFile> result = parse(raw_file(header, std::string(8, '\0')));
    REQUIRE(result.ok());
    CHECK(result.value().tensors[0].name == "first");
    CHECK(result.value().tensors[1].name == "second");
  }
  SECTION("brackets inside strings do not count as nesting") {
    const std::string deep(1000, '[');
    Result<SafetensorsFile> result =
        parse(raw_file(R"({"__metadata__":{"k":")" + deep + R"(\"{{"}})"));
    REQUIRE(result.ok());
    CHECK(result.value().metadata.at("k") == deep + "\"{{");
  }
  SECTION("data that is not aligned in memory") {
    const std::string file = small_file();
    std::vector<std::uint8_t> buffer(file.size() + 3);
    std::memcpy(buffer.data() + 3, file.data(), file.size());
    Result<SafetensorsFile> result = parse_safetensors(buffer.data() + 3, file.size(), "x");
    REQUIRE(result.ok());
    CHECK(result.value().find("b")->to_floats() == std::vector<float>{0.5f, 42.0f});
  }
}

// ---- broken files
// -----------------------------------------------------------------------------------

TEST_CASE("parse_safetensors rejects files too short for the length", "[safetensors]") {
  CHECK(parse_safetensors(nullptr, 0, "empty.safetensors").error() ==
        "empty.safetensors: file is 0 bytes long, too short for a safetensors header");
  CHECK_THAT(parse_error(std::string(7, '\0')), Contains("file is 7 bytes long"));
}

TEST_CASE("parse_safetensors rejects every truncation of a valid file", "[safetensors]") {
  const std::string file = small_file();
  for (std::size_t length = 0; length < file.size(); ++length) {
    Result<SafetensorsFile> result = parse(file.substr(0, length));
    INFO("prefix of " << length << " bytes");
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.error(), StartsWith("t.safetensors: "));
  }
  REQUIRE(parse(file).ok());
}

TEST_CASE("parse_safetensors rejects header lengths past the end", "[safetensors]") {
  CHECK(parse_error(with_length(100, std::string(12, ' '))) ==
        "t.safetensors: header length 100 runs past the end of the file (20 bytes)");
  CHECK(parse_error(with_length(1ull << 63, "{}")) ==
        "t.safetensors: header length 9223372036854775808 runs past the end of the file (10 "
        "bytes)");
  CHECK(parse_error(with_length(std::numeric_limits<std::uint64_t>::max(), "{}")) ==
        "t.safetensors: header length 18446744073709551615 runs past the end of the file (10 "
        "bytes)");
  // size - 8 must not wrap: a length of 2^64 - 8 plus the 8 length bytes is 0 modulo 2^64.
  CHECK_THAT(parse_error(with_length(std::numeric_limits<std::uint64_t>::max() - 7, "{}")),
             Contains("runs past the end"));
}

TEST_CASE("parse_safetensors rejects headers over 100 MB", "[safetensors]") {
  const std::uint64_t length = 100'000'001;
  std::string file = with_length(length, std::string(length, ' '));
  CHECK(parse_error(file) == "t.safetensors: header length 100000001 exceeds the limit of 100 MB");
}

TEST_CASE("parse_safetensors rejects headers that are not a JSON object", "[safetensors]") {
  CHECK_THAT(parse_error(raw_file("{")), StartsWith("t.safetensors: header is not valid JSON: "));
  CHECK_THAT(parse_error(raw_file("{\"a\":}")), Contains("header is not valid JSON"));
  CHECK_THAT(parse_error(raw_file("")), Contains("header is not valid JSON"));
  CHECK_THAT(parse_error(raw_file("{} {}")), Contains("header is not valid JSON"));
  CHECK_THAT(parse_error(raw_file(std::string("{\"a\xff\":1}"))), Contains("not valid JSON"));
  CHECK_THAT(parse_error(raw_file(std::string("{\0}", 3))), Contains("not valid JSON"));
  CHECK(parse_error(raw_file("[1,2]")) == "t.safetensors: header is not a JSON object");
  CHECK(parse_error(raw_file("\"text\"")) == "t.safetensors: header is not a JSON object");
  CHECK(parse_error(raw_file("null")) == "t.safetensors: header is not a JSON object");
}

TEST_CASE("parse_safetensors rejects deeply nested JSON without recursing", "[safetensors]") {
  CHECK_THAT(parse_error(raw_file(std::string(100000, '['))),
             Contains("header is nested 100000 levels deep (at most 64 allowed)"));
  CHECK_THAT(parse_error(raw_file(std::string(100000, '[') + std::string(100000, ']'))),
             Contains("nested"));
  std::string objects;
  for (int i = 0; i < 65; ++i) objects += "{\"a\":";
  objects += "1" + std::string(65, '}');
  CHECK_THAT(parse_error(raw_file(objects)), Contains("nested 65 levels"));
  // 64 levels pass the scan (and the entry then fails for not being an object).
  const std::string ok_depth =
      "{\"__metadata__\":{}, \"t\":" + std::string(63, '[') + std::string(63, ']') + "}";
  CHECK(parse_error(raw_file(ok_depth)) ==
        "t.safetensors: header entry for tensor 't' is not an object");
}

TEST_CASE("parse_safetensors rejects bad metadata", "[safetensors]") {
  CHECK(parse_error(raw_file(R"({"__metadata__":[]})")) ==
        "t.safetensors: '__metadata__' is not a JSON object");
  CHECK(parse_error(raw_file(R"({"__metadata__":{"k":1}})")) ==
        "t.safetensors: metadata 'k' is not a string");
  CHECK(parse_error(raw_file(R"({"__metadata__":{"k":{"x":"y"}}})")) ==
        "t.safetensors: metadata 'k' is not a string");
}

TEST_CASE("parse_safetensors rejects bad tensor entries", "[safetensors]") {
  const auto entry = [](const std::string& body, const std::string& data = std::string(8, '\0')) {
    return parse_error(raw_file("{\"x\":" + body + "}", data));
  };
  CHECK(entry("[]") == "t.safetensors: header entry for tensor 'x' is not an object");
  CHECK(entry(R"({"shape":[2],"data_offsets":[0,8]})") ==
        "t.safetensors: tensor 'x' has no 'dtype'");
  CHECK(entry(R"({"dtype":32,"shape":[2],"data_offsets":[0,8]})") ==
        "t.safetensors: 'dtype' of tensor 'x' is not a string");
  CHECK_THAT(entry(R"({"dtype":"I64","shape":[1],"data_offsets":[0,8]})"),
             StartsWith("t.safetensors: unknown dtype 'I64' for tensor 'x'"));
  CHECK_THAT(entry(R"({"dtype":"BF16","shape":[4],"data_offsets":[0,8]})"),
             Contains("unknown dtype 'BF16' for tensor 'x'"));
  CHECK_THAT(entry(R"({"dtype":"f32","shape":[2],"data_offsets":[0,8]})"),
             Contains("unknown dtype 'f32'"));
  CHECK(entry(R"({"dtype":"F32","data_offsets":[0,8]})") ==
        "t.safetensors: tensor 'x' has no 'shape'");
  const std::string bad_shape =
      "t.safetensors: 'shape' of tensor 'x' is not a list of non-negative integers";
  CHECK(entry(R"({"dtype":"F32","shape":2,"data_offsets":[0,8]})") == bad_shape);
  CHECK(entry(R"({"dtype":"F32","shape":[-2],"data_offsets":[0,8]})") == bad_shape);
  CHECK(entry(R"({"dtype":"F32","shape":[2.0],"data_offsets":[0,8]})") == bad_shape);
  CHECK(entry(R"({"dtype":"F32","shape":["2"],"data_offsets":[0,8]})") == bad_shape);
  CHECK(entry(R"({"dtype":"F32","shape":[[2]],"data_offsets":[0,8]})") == bad_shape);
  CHECK(entry(R"({"dtype":"F32","shape":[9223372036854775808],"data_offsets":[0,8]})") ==
        bad_shape);
  CHECK(entry(R"({"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]})") ==
        "t.safetensors: tensor 'x' has shape [4294967296,4294967296], too large for the file");
  CHECK(entry(R"({"dtype":"F32","shape":[2]})") ==
        "t.safetensors: tensor 'x' has no 'data_offsets'");
  const std::string bad_offsets = "t.safetensors: 'data_offsets' of tensor 'x' is not [begin, end]";
  CHECK(entry(R"({"dtype":"F32","shape":[2],"data_offsets":[0]})") == bad_offsets);
  CHECK(entry(R"({"dtype":"F32","shape":[2],"data_offsets":[0,8,8]})") == bad_offsets);
  CHECK(entry(R"({"dtype":"F32","shape":[2],"data_offsets":[-1,7]})") == bad_offsets);
  CHECK(entry(R"({"dtype":"F32","shape":[2],"data_offsets":{"begin":0}})") == bad_offsets);
  CHECK(entry(R"({"dtype":"F32","shape":[2],"data_offsets":[8,0]})") ==
        "t.safetensors: tensor 'x' has data_offsets [8,0] with begin after end");
}

TEST_CASE("parse_safetensors rejects byte lengths that disagree with the shape", "[safetensors]") {
  CHECK(parse_error(raw_file(R"({"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})",
                             std::string(8, '\0'))) ==
        "t.safetensors: tensor 'x' has 8 bytes of data, but F32 shape [3] needs 12");
  CHECK(parse_error(raw_file(R"({"x":{"dtype":"F16","shape":[2,2],"data_offsets":[0,16]}})",
                             std::string(16, '\0'))) ==
        "t.safetensors: tensor 'x' has 16 bytes of data, but F16 shape [2,2] needs 8");
}

TEST_CASE("parse_safetensors rejects offsets past the end of the data", "[safetensors]") {
  CHECK(parse_error(raw_file(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                             std::string(4, '\0'))) ==
        "t.safetensors: tensor 'x' has data_offsets [0,8] past the end of the data (4 bytes)");
  CHECK_THAT(parse_error(raw_file(R"({"x":{"dtype":"F32","shape":[2],)"
                                  R"("data_offsets":[18446744073709551608,18446744073709551615]}})",
                                  std::string(8, '\0'))),
             Contains("past the end of the data"));
}

TEST_CASE("parse_safetensors rejects overlapping tensors", "[safetensors]") {
  CHECK(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                             R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                             std::string(12, '\0'))) ==
        "t.safetensors: tensors 'a' and 'b' overlap");
  CHECK(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                             R"("b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                             std::string(8, '\0'))) ==
        "t.safetensors: tensors 'a' and 'b' overlap");
  // An empty tensor placed inside another one.
  CHECK(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                             R"("z":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}})",
                             std::string(8, '\0'))) ==
        "t.safetensors: tensors 'a' and 'z' overlap");
  // A tensor inside a larger one that started earlier, with a zero-size one in between.
  CHECK(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
                             R"("e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},)"
                             R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                             std::string(16, '\0'))) ==
        "t.safetensors: tensors 'a' and 'b' overlap");
}

TEST_CASE("parse_safetensors rejects bytes that belong to no tensor", "[safetensors]") {
  CHECK(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                             R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                             std::string(12, '\0'))) ==
        "t.safetensors: bytes 4..8 of the data belong to no tensor (gap before 'b')");
  CHECK(parse_error(raw_file(R"({"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                             std::string(8, '\0'))) ==
        "t.safetensors: bytes 0..4 of the data belong to no tensor (gap before 'b')");
  CHECK(parse_error(small_file() + "junk") ==
        "t.safetensors: bytes 32..36 of the data belong to no tensor (after the last tensor)");
  CHECK(parse_error(raw_file("{}", "x")) ==
        "t.safetensors: bytes 0..1 of the data belong to no tensor (after the last tensor)");
}

TEST_CASE("parse_safetensors survives every single-byte corruption", "[safetensors]") {
  // Not a check of messages: whatever the damage, parsing returns (ok or an error) and views
  // stay inside the buffer.
  const std::string file = small_file(DType::F16);
  for (std::size_t i = 0; i < file.size(); ++i) {
    for (int value : {0x00, 0x01, 0x22, 0x30, 0x39, 0x5b, 0x5d, 0x7b, 0x7d, 0x80, 0xff}) {
      std::string damaged = file;
      damaged[i] = static_cast<char>(value);
      Result<SafetensorsFile> result = parse(damaged);
      if (result.ok()) {
        for (const TensorView& t : result.value().tensors) {
          const auto* begin = reinterpret_cast<const std::uint8_t*>(damaged.data());
          REQUIRE(t.data >= begin);
          REQUIRE(t.data + t.bytes <= begin + damaged.size());
          REQUIRE(t.to_floats().size() == static_cast<std::size_t>(t.elements()));
        }
      } else {
        REQUIRE_THAT(result.error(), StartsWith("t.safetensors: "));
      }
    }
  }
}

TEST_CASE("write_safetensors keeps metadata with any characters intact", "[safetensors]") {
  const std::string tricky =
      "quote \" backslash \\ newline \n tab \t nul " + std::string(1, '\0') + " [{ ü 中 😀";
  const std::string file = write_safetensors({}, {{"k", tricky}, {"empty", ""}});
  Result<SafetensorsFile> result = parse(file);
  REQUIRE(result.ok());
  CHECK(result.value().metadata.at("k") == tricky);
  CHECK(result.value().metadata.at("empty").empty());
  CHECK(header_length(file) % 8 == 0);
}

}  // namespace unroll
