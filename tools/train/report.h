#pragma once
// tools/train's last part: the test split read once through the inference Model (F32 and F16),
// the storage type chosen, the provenance written with the weights.

#include "data.h"
#include "nn/config.h"
#include "options.h"
#include "progress.h"
#include "run.h"
#include "util/result.h"

namespace unroll::trainer {

/** Evaluates the trained model on the test split (unless --skip-test) and writes the model file. */
Status write_model(const Options& options, const ModelConfig& config, const TrainingData& data,
                   const TrainedModel& trained, Clock::time_point total_start);

}  // namespace unroll::trainer
