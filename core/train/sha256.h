#pragma once
// SHA-256 (FIPS 180-4), for the provenance of a trained model: which data archive it came from.
// Plain code of ours, so that the trainer runs no shell and needs no crypto library.

#include <cstddef>
#include <cstdint>
#include <string>

#include "util/result.h"

namespace unroll::train {

class Sha256 {
 public:
  Sha256();
  /** Hashes `size` more bytes. */
  void update(const void* data, std::size_t size);
  /** The digest of everything hashed, as 64 lowercase hex digits. Call once. */
  std::string hex_digest();

 private:
  void block(const std::uint8_t* p);
  std::uint32_t state_[8];
  std::uint8_t buffer_[64];
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes hashed
};

/** The SHA-256 of a file's bytes (hex), or an Error naming the file. */
Result<std::string> sha256_file(const std::string& path);

}  // namespace unroll::train
