#include "teachers.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace unroll::trainer {

Result<std::vector<float>> mean_teacher_probabilities(const std::vector<std::string>& files, std::size_t reviews) {
  std::vector<double> sum(reviews, 0.0);
  for (const std::string& file : files) {
    std::ifstream in(file);
    if (!in) return Error{"cannot read the teacher file " + file};
    std::size_t count = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      std::istringstream text(line);
      double p = 0.0;
      std::string rest;
      // A probability and nothing else: anything else is a file of another kind or a cut-off one.
      if (!(text >> p) || (text >> rest) || !std::isfinite(p) || p < 0.0 || p > 1.0) {
        return Error{file + " line " + std::to_string(count + 1) + " is \"" + line + "\", not a probability in [0, 1]"};
      }
      if (count < reviews) sum[count] += p;
      ++count;
    }
    if (count != reviews) {
      return Error{file + " holds " + std::to_string(count) + " probabilities, the training split has " +
                   std::to_string(reviews) + " reviews (make it with tools/evaluate --split train --save-probabilities)"};
    }
  }
  std::vector<float> mean(reviews);
  for (std::size_t i = 0; i < reviews; ++i) mean[i] = static_cast<float>(sum[i] / static_cast<double>(files.size()));
  return mean;
}

}  // namespace unroll::trainer
