#pragma once
// nlohmann's parser recurses once per nesting level, and a model file comes from anywhere: a
// header of a million '[' would overflow the stack (WebAssembly's is small) before any error is
// reported. Both JSON readers of the model file check the depth first with this loop.

#include <string_view>

namespace unroll {

/** Nesting deeper than this is refused: our headers and metadata nest a level or two. */
constexpr int kMaxJsonDepth = 64;

/** Deepest bracket nesting outside strings, found without recursion (unbalanced brackets are
 *  left for the parser to report). */
int json_nesting_depth(std::string_view text);

}  // namespace unroll
