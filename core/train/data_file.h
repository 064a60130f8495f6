#pragma once
// The training-data file (docs/training-data.md): the IMDB reviews already tokenized, mapped
// through the vocabulary and padded to maxlen by the trainer's own functions, in one compact
// binary file the page can fetch and the WebAssembly trainer can read without a file system.
//
//   bytes 0-7    magic "UNRLDATA"
//   bytes 8-11   format version, uint32 little-endian (1)
//   bytes 12-15  header length H, uint32 little-endian
//   16 .. 16+H   JSON header, padded with spaces so that the payload starts at a multiple of 8
//   payload      sections, each starting at a multiple of 8 (zero padding between them):
//                  vocabulary    UTF-8, one word per line (id 3 first), Vocabulary::serialize()
//                  <split>.ids   uint16 LE [count × maxlen], row-major (one review per row)
//                  <split>.labels uint8 [count], 1 positive, 0 negative
//
// Row-major padded ids keep the zeros of the padding in runs and the labels apart from the ids,
// which is what gzip compresses best. Errors are values (util/result.h): this builds for wasm.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/sequence.h"
#include "text/vocabulary.h"
#include "train/dataset.h"
#include "util/result.h"

namespace unroll::train {

/** One split ("train", "test") of the file. */
struct DataSplit {
  std::string name;
  std::vector<std::uint16_t> ids;    // [count × maxlen] row-major
  std::vector<std::uint8_t> labels;  // [count], 0 or 1
  int count() const { return static_cast<int>(labels.size()); }
};

struct TrainingData {
  SequenceOptions sequence;  // maxlen and padding the ids were made with
  Vocabulary vocabulary;     // vocabulary.size() ids in all, the 3 reserved ones included
  std::vector<DataSplit> splits;
  std::string provenance = "{}";  // a JSON object: archive, sha256, tool, selection
  std::string payload_sha256;     // hex digest of every byte after the header

  /** The split called `name`, or nullptr. */
  const DataSplit* split(std::string_view name) const;
};

/** Hex SHA-256 of bytes. The core has no hash: the writer passes one in (OpenSSL in the tool). */
using Sha256Hex = std::string (*)(std::string_view bytes);

/**
 * Serialises `data` (version 1). `sha256` digests the payload into the header's payload_sha256.
 * The ids must be below vocabulary.size() and the labels 0 or 1 (read_training_data checks).
 */
std::string write_training_data(const TrainingData& data, Sha256Hex sha256);

/**
 * Reads and validates a training-data file held in memory: magic, version, header, every section's
 * offset and size against the header and the byte length, every id < vocab_size, every label
 * 0/1. Messages start with `file_name`. The payload checksum is not recomputed here (the core has
 * no hash); payload_sha256 is returned for the caller to check (wasm/api/trainer.js does, with
 * WebCrypto).
 */
Result<TrainingData> read_training_data(const std::uint8_t* data, std::size_t size,
                                        std::string_view file_name);

/** The payload of a file read_training_data accepted: the bytes payload_sha256 covers. */
std::string_view training_data_payload(const std::uint8_t* data, std::size_t size);

/** A split of the file as the trainer's fixed-length examples (ids widened to int32). */
Examples to_examples(const DataSplit& split, int maxlen);

/** The inverse, for the writer: examples (ids < 65,536) as a split called `name`. */
DataSplit to_split(const Examples& examples, std::string name);

}  // namespace unroll::train
