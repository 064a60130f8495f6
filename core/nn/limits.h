#pragma once
// Memory limits of the inference passes, in one place: Model, BatchRunner and the tests that
// exercise both sides of each limit read them from here.

#include <cstddef>

namespace unroll::limits {

/**
 * Layer 0's input part x_t·W depends only on the word, so Model and BatchRunner keep
 * embedding·W for every vocabulary word (one table per direction) when it has at most this many
 * floats (32 MB); above it they multiply the gathered embeddings by the kernel at run time.
 */
constexpr std::ptrdiff_t kMaxInputTableFloats = std::ptrdiff_t(1) << 23;

/**
 * BatchRunner: the largest buffer of a stacked model's between-layer sequence (and of the
 * whole-sequence input product above layer 0); the chunk of reviews shrinks to stay below it.
 */
constexpr std::size_t kSequenceBudgetBytes = std::size_t(32) << 20;

}  // namespace unroll::limits
