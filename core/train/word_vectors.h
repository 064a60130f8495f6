#pragma once
// Word vectors learnt without labels (fastText's or word2vec's text format, ".vec") as the starting
// point of a model's embedding: scripts/pretrain-embeddings.sh learns them from the training
// reviews' words, and tools/train --embedding-init reads them here.

#include <string>

#include "nn/tensor.h"
#include "text/vocabulary.h"
#include "util/result.h"

namespace unroll::train {

/**
 * Overwrites the rows of `embedding` whose word has a vector in the ".vec" file at `path` (a
 * "count width" line, then one "word v1 … v_width" line per word) and returns how many it set;
 * the other rows, the reserved ids among them, keep their values. With `rms` > 0 the vectors read
 * are scaled together so that the root mean square of their elements is `rms`: the recurrent
 * layers' initial weights assume inputs of the scale of the random embedding, not of the
 * file's. Fails, naming the line, on a malformed file or a width other than the embedding's.
 */
Result<int> load_word_vectors(const std::string& path, const Vocabulary& vocabulary, Matrix& embedding,
                              float rms);

}  // namespace unroll::train
