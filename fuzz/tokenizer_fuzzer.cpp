// Arbitrary bytes (invalid UTF-8, NULs, unclosed tags) → tokens whose spans are sane.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "text/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t previous_end = 0;
  for (const unroll::Token& token : unroll::tokenize(text)) {
    // Spans lie inside the input, in order, never overlap, and a token is never empty.
    if (token.begin >= token.end || token.end > size || token.begin < previous_end) std::abort();
    if (token.text.empty()) std::abort();
    previous_end = token.end;
  }
  return 0;
}
