#include "teachers.h"

#include "../probability_file.h"

namespace unroll::trainer {

Result<std::vector<float>> mean_teacher_probabilities(const std::vector<std::string>& files, std::size_t reviews) {
  std::vector<double> sum(reviews, 0.0);
  for (const std::string& file : files) {
    Result<std::vector<double>> teacher = tools::read_probability_file(file);
    if (!teacher) return Error{"teacher file: " + teacher.error()};
    if (teacher.value().size() != reviews) {
      return Error{file + " holds " + std::to_string(teacher.value().size()) + " probabilities, the training split has " +
                   std::to_string(reviews) + " reviews (make it with tools/evaluate --split train --save-probabilities)"};
    }
    for (std::size_t i = 0; i < reviews; ++i) sum[i] += teacher.value()[i];
  }
  std::vector<float> mean(reviews);
  for (std::size_t i = 0; i < reviews; ++i) mean[i] = static_cast<float>(sum[i] / static_cast<double>(files.size()));
  return mean;
}

}  // namespace unroll::trainer
