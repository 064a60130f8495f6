#pragma once
// Distillation targets: other models' probabilities for the training reviews (--teacher), read from
// the files tools/evaluate --split train --save-probabilities writes, and averaged.

#include <string>
#include <vector>

#include "util/result.h"

namespace unroll::trainer {

/**
 * The mean, review by review, of the teachers' probability files: one probability in [0, 1] per
 * line, in train::read_split's order of the training split, `reviews` lines each. Says which file
 * and which line is wrong otherwise.
 */
Result<std::vector<float>> mean_teacher_probabilities(const std::vector<std::string>& files, std::size_t reviews);

}  // namespace unroll::trainer
