#include "train/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace unroll::train {

BinaryMetrics binary_metrics(const std::vector<float>& probabilities, const std::vector<float>& labels) {
  BinaryMetrics m;
  const std::size_t n = std::min(probabilities.size(), labels.size());
  if (n == 0) return m;
  double loss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool predicted = probabilities[i] >= 0.5f;
    const bool actual = labels[i] >= 0.5f;
    if (predicted && actual) ++m.true_positive;
    if (predicted && !actual) ++m.false_positive;
    if (!predicted && !actual) ++m.true_negative;
    if (!predicted && actual) ++m.false_negative;
    const double p = std::clamp(static_cast<double>(probabilities[i]), 1e-7, 1.0 - 1e-7);
    loss -= actual ? std::log(p) : std::log(1.0 - p);
  }
  m.loss = loss / static_cast<double>(n);
  m.accuracy = static_cast<double>(m.true_positive + m.true_negative) / static_cast<double>(n);
  const long long predicted_positive = m.true_positive + m.false_positive;
  const long long actual_positive = m.true_positive + m.false_negative;
  m.precision = predicted_positive ? static_cast<double>(m.true_positive) / predicted_positive : 0.0;
  m.recall = actual_positive ? static_cast<double>(m.true_positive) / actual_positive : 0.0;
  m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0.0;

  // AUC = probability that a random positive scores above a random negative (Mann-Whitney U),
  // from ranks with ties averaged.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return probabilities[a] < probabilities[b]; });
  double positive_rank_sum = 0;
  long long positives = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && probabilities[order[j]] == probabilities[order[i]]) ++j;
    const double rank = 0.5 * static_cast<double>(i + 1 + j);  // mean of ranks i+1 … j
    for (std::size_t k = i; k < j; ++k) {
      if (labels[order[k]] >= 0.5f) {
        positive_rank_sum += rank;
        ++positives;
      }
    }
    i = j;
  }
  const long long negatives = static_cast<long long>(n) - positives;
  if (positives > 0 && negatives > 0) {
    m.roc_auc = (positive_rank_sum - 0.5 * static_cast<double>(positives) * (positives + 1)) /
                (static_cast<double>(positives) * static_cast<double>(negatives));
  }
  return m;
}

}  // namespace unroll::train
