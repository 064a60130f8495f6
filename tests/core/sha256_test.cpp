#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "train/sha256.h"

using namespace unroll;

namespace {
std::string sha256(const std::string& text) {
  train::Sha256 hash;
  hash.update(text.data(), text.size());
  return hash.hex_digest();
}
}  // namespace

TEST_CASE("Sha256 gives the FIPS 180-4 test vectors", "[train][sha256]") {
  CHECK(sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("Sha256: any split of the input into updates gives the same digest", "[train][sha256]") {
  std::string text;
  for (int i = 0; i < 300; ++i) text += static_cast<char>(i * 7 + 3);
  const std::string whole = sha256(text);
  for (std::size_t cut : {0, 1, 55, 56, 63, 64, 65, 128, 299}) {
    train::Sha256 hash;
    hash.update(text.data(), cut);
    hash.update(text.data() + cut, text.size() - cut);
    CHECK(hash.hex_digest() == whole);
  }
}

TEST_CASE("sha256_file hashes a file's bytes, quotes in the path included, and names a missing file", "[train][sha256]") {
  const std::string path = "sha256 test's file.bin";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  REQUIRE(file);
  std::fputs("abc", file);
  std::fclose(file);
  Result<std::string> digest = train::sha256_file(path);
  std::remove(path.c_str());
  REQUIRE(digest.ok());
  CHECK(digest.value() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Result<std::string> missing = train::sha256_file("no such file'.bin");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().find("no such file'.bin") != std::string::npos);
}
