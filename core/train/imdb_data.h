#pragma once
// The IMDB reviews (aclImdb/ layout) as training data (train/data_file.h), made by the trainer's
// own functions: read_split, tokenize_reviews, Vocabulary::build on the training split only and
// make_examples. tools/make_training_data writes the result; a model trained on it sees exactly
// the ids tools/train would have given it.

#include <string>

#include "text/sequence.h"
#include "train/data_file.h"
#include "util/result.h"

namespace unroll::train {

/**
 * Both splits of `root` (the aclImdb folder): the vocabulary of `vocab_size` ids (3 reserved, the
 * rest the most frequent words of root/train) and every review of train and test as a sequence.
 * Fails naming what could not be read, or when the training split has too few distinct words.
 */
Result<TrainingData> build_imdb_data(const std::string& root, int vocab_size,
                                     const SequenceOptions& sequence);

/**
 * A smaller copy of `data` for a quick run: `train_count` reviews from the split "train" and `test_count` from every other split, half of
 * each label (seeded, reviews kept in file order). Same vocabulary. Asking for more reviews of a
 * label than the split has keeps all of them.
 */
TrainingData subset(const TrainingData& data, int train_count, int test_count, unsigned seed);

}  // namespace unroll::train
