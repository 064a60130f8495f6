#include "train/data_file.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "io/json_depth.h"

namespace unroll::train {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr char kMagic[8] = {'U', 'N', 'R', 'L', 'D', 'A', 'T', 'A'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kPreamble = 16;  // magic, version, header length
constexpr std::size_t kMaxHeader = 16u << 20;

std::size_t round8(std::size_t n) { return (n + 7) / 8 * 8; }

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint32_t get_u32(const std::uint8_t* p) {
  return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
         std::uint32_t(p[3]) << 24;
}

/** Appends `bytes` to the payload at a multiple of 8 and records its place in `sections`. */
void add_section(std::string& payload, OrderedJson& sections, const std::string& name,
                 const void* bytes, std::size_t size, OrderedJson extra) {
  payload.resize(round8(payload.size()), '\0');
  OrderedJson entry = OrderedJson::object();
  entry["offset"] = payload.size();
  entry["length"] = size;
  for (auto& item : extra.items()) entry[item.key()] = item.value();
  sections[name] = entry;
  payload.append(static_cast<const char*>(bytes), size);
}

}  // namespace

const DataSplit* TrainingData::split(std::string_view name) const {
  for (const DataSplit& s : splits)
    if (s.name == name) return &s;
  return nullptr;
}

std::string write_training_data(const TrainingData& data, Sha256Hex sha256) {
  std::string payload;
  OrderedJson sections = OrderedJson::object();
  const std::string words = data.vocabulary.serialize();
  add_section(payload, sections, "vocabulary", words.data(), words.size(),
              {{"dtype", "utf8-lines"}});
  OrderedJson split_names = OrderedJson::array();
  for (const DataSplit& split : data.splits) {
    split_names.push_back(split.name);
    // uint16 little-endian, whatever the host's order.
    std::string ids(split.ids.size() * 2, '\0');
    for (std::size_t i = 0; i < split.ids.size(); ++i) {
      ids[2 * i] = static_cast<char>(split.ids[i] & 0xff);
      ids[2 * i + 1] = static_cast<char>(split.ids[i] >> 8);
    }
    add_section(payload, sections, split.name + ".ids", ids.data(), ids.size(),
                {{"dtype", "U16"}, {"shape", {split.count(), data.sequence.maxlen}}});
    add_section(payload, sections, split.name + ".labels", split.labels.data(),
                split.labels.size(), {{"dtype", "U8"}, {"shape", {split.count()}}});
  }
  payload.resize(round8(payload.size()), '\0');

  OrderedJson header = OrderedJson::object();
  header["format"] = "unroll-training-data";
  header["version"] = kVersion;
  header["vocab_size"] = data.vocabulary.size();
  header["maxlen"] = data.sequence.maxlen;
  header["padding"] = to_string(data.sequence.padding);
  header["truncating"] = to_string(data.sequence.truncating);
  header["start_token"] = data.sequence.start_token;
  header["splits"] = split_names;
  header["sections"] = sections;
  header["payload_bytes"] = payload.size();
  header["payload_sha256"] = sha256(payload);
  Json provenance = Json::parse(data.provenance, nullptr, false);
  header["provenance"] = provenance.is_object() ? OrderedJson::parse(provenance.dump())
                                                : OrderedJson::object();
  std::string text = header.dump();
  text.resize(round8(kPreamble + text.size()) - kPreamble, ' ');

  std::string out(kMagic, sizeof kMagic);
  put_u32(out, kVersion);
  put_u32(out, static_cast<std::uint32_t>(text.size()));
  out += text;
  out += payload;
  return out;
}

std::string_view training_data_payload(const std::uint8_t* data, std::size_t size) {
  if (size < kPreamble) return {};
  const std::size_t start = kPreamble + get_u32(data + 12);
  if (start > size) return {};
  return {reinterpret_cast<const char*>(data) + start, size - start};
}

Result<TrainingData> read_training_data(const std::uint8_t* data, std::size_t size,
                                        std::string_view file_name) {
  const std::string prefix = std::string(file_name) + ": ";
  auto fail = [&](const std::string& message) { return Error{prefix + message}; };
  if (size < kPreamble || std::memcmp(data, kMagic, sizeof kMagic) != 0)
    return fail("not an Unroll training-data file (no UNRLDATA magic)");
  if (const std::uint32_t version = get_u32(data + 8); version != kVersion)
    return fail("format version " + std::to_string(version) + ", this reader knows version 1");
  const std::size_t header_length = get_u32(data + 12);
  if (header_length > kMaxHeader || kPreamble + header_length > size)
    return fail("header length " + std::to_string(header_length) + " runs past the end of the file (" +
                std::to_string(size) + " bytes)");
  const std::string_view text(reinterpret_cast<const char*>(data) + kPreamble, header_length);
  if (json_nesting_depth(text) > kMaxJsonDepth) return fail("header nests too deeply");
  const Json header = Json::parse(text.begin(), text.end(), nullptr, false);
  if (header.is_discarded() || !header.is_object()) return fail("header is not a JSON object");

  auto integer = [&](const Json& object, const char* key, long long& out) -> bool {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer()) return false;
    out = it->get<long long>();
    return true;
  };
  long long vocab_size = 0, maxlen = 0;
  if (!integer(header, "vocab_size", vocab_size) || vocab_size < Vocabulary::kFirstWord ||
      vocab_size > 65536)
    return fail("header 'vocab_size' must be an integer in [3, 65536]");
  if (!integer(header, "maxlen", maxlen) || maxlen < 1 || maxlen > 100000)
    return fail("header 'maxlen' must be an integer in [1, 100000]");
  TrainingData out;
  out.sequence.maxlen = static_cast<int>(maxlen);
  for (const char* key : {"padding", "truncating"}) {
    const auto it = header.find(key);
    if (it == header.end() || !it->is_string()) return fail(std::string("header '") + key + "' must be \"pre\" or \"post\"");
    Result<Side> side = parse_side(it->get<std::string>());
    if (!side) return fail(side.error());
    (std::string(key) == "padding" ? out.sequence.padding : out.sequence.truncating) = side.value();
  }
  if (const auto it = header.find("start_token"); it != header.end() && it->is_boolean())
    out.sequence.start_token = it->get<bool>();
  if (const auto it = header.find("payload_sha256"); it != header.end() && it->is_string())
    out.payload_sha256 = it->get<std::string>();
  if (const auto it = header.find("provenance"); it != header.end() && it->is_object())
    out.provenance = it->dump();

  const std::uint8_t* payload = data + kPreamble + header_length;
  const std::size_t payload_size = size - kPreamble - header_length;
  const auto sections = header.find("sections");
  if (sections == header.end() || !sections->is_object()) return fail("header has no 'sections' object");
  // The bytes of section `name`, checked against the payload's length and the expected size.
  auto section = [&](const std::string& name, std::size_t expected,
                     Result<std::string_view>* result) {
    const auto it = sections->find(name);
    long long offset = 0, length = 0;
    if (it == sections->end() || !it->is_object() || !integer(*it, "offset", offset) ||
        !integer(*it, "length", length) || offset < 0 || length < 0) {
      *result = fail("section '" + name + "' is missing or has no integer offset and length");
    } else if (static_cast<unsigned long long>(offset) + static_cast<unsigned long long>(length) >
               payload_size) {
      *result = fail("section '" + name + "' [" + std::to_string(offset) + ", +" + std::to_string(length) +
                     ") runs past the end of the payload (" + std::to_string(payload_size) + " bytes)");
    } else if (expected != std::size_t(-1) && static_cast<std::size_t>(length) != expected) {
      *result = fail("section '" + name + "' has " + std::to_string(length) + " bytes, expected " +
                     std::to_string(expected));
    } else {
      *result = std::string_view(reinterpret_cast<const char*>(payload) + offset, length);
    }
  };

  Result<std::string_view> bytes = Error{""};
  section("vocabulary", std::size_t(-1), &bytes);
  if (!bytes) return Error{bytes.error()};
  Result<Vocabulary> vocabulary = Vocabulary::deserialize(bytes.value());
  if (!vocabulary) return fail("vocabulary: " + vocabulary.error());
  out.vocabulary = std::move(vocabulary).value();
  if (out.vocabulary.size() != vocab_size)
    return fail("vocabulary has " + std::to_string(out.vocabulary.size()) + " ids, header 'vocab_size' says " +
                std::to_string(vocab_size));

  const auto splits = header.find("splits");
  if (splits == header.end() || !splits->is_array()) return fail("header has no 'splits' array");
  for (const Json& name_json : *splits) {
    if (!name_json.is_string()) return fail("'splits' must hold names");
    DataSplit split;
    split.name = name_json.get<std::string>();
    Result<std::string_view> labels = Error{""};
    section(split.name + ".labels", std::size_t(-1), &labels);
    if (!labels) return Error{labels.error()};
    const std::size_t count = labels.value().size();
    Result<std::string_view> ids = Error{""};
    section(split.name + ".ids", count * static_cast<std::size_t>(maxlen) * 2, &ids);
    if (!ids) return Error{ids.error()};
    split.labels.assign(labels.value().begin(), labels.value().end());
    for (std::size_t i = 0; i < count; ++i)
      if (split.labels[i] > 1)
        return fail(split.name + ".labels[" + std::to_string(i) + "] is " + std::to_string(split.labels[i]) +
                    ", expected 0 or 1");
    split.ids.resize(count * static_cast<std::size_t>(maxlen));
    const auto* raw = reinterpret_cast<const std::uint8_t*>(ids.value().data());
    for (std::size_t i = 0; i < split.ids.size(); ++i) {
      split.ids[i] = static_cast<std::uint16_t>(raw[2 * i] | raw[2 * i + 1] << 8);
      if (split.ids[i] >= vocab_size)
        return fail(split.name + ".ids: review " + std::to_string(i / maxlen) + " has id " +
                    std::to_string(split.ids[i]) + ", not below vocab_size " + std::to_string(vocab_size));
    }
    out.splits.push_back(std::move(split));
  }
  return out;
}

Examples to_examples(const DataSplit& split, int maxlen) {
  Examples examples;
  examples.steps = maxlen;
  examples.ids.assign(split.ids.begin(), split.ids.end());
  examples.labels.assign(split.labels.begin(), split.labels.end());
  return examples;
}

DataSplit to_split(const Examples& examples, std::string name) {
  DataSplit split;
  split.name = std::move(name);
  split.ids.reserve(examples.ids.size());
  for (std::int32_t id : examples.ids) split.ids.push_back(static_cast<std::uint16_t>(id));
  for (float label : examples.labels) split.labels.push_back(label >= 0.5f ? 1 : 0);
  return split;
}

}  // namespace unroll::train
