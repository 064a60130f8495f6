#pragma once
// tools/train's data: the training split read, tokenized, given its vocabulary and split into
// training and validation examples.

#include "nn/config.h"
#include "options.h"
#include "text/vocabulary.h"
#include "train/dataset.h"
#include "util/result.h"

namespace unroll::trainer {

struct TrainingData {
  Vocabulary vocabulary;       // from the training split only
  train::Examples train;
  train::Examples validation;  // held out of the training split (--validation, --validation-block)
};

/** Reads and prepares the training split as the options say, or says what went wrong. */
Result<TrainingData> prepare_data(const Options& options, const ModelConfig& config);

}  // namespace unroll::trainer
