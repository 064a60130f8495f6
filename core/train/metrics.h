#pragma once
// Binary classification metrics for the evaluation and training reports.

#include <vector>

namespace unroll::train {

struct BinaryMetrics {
  long long true_positive = 0, false_positive = 0, true_negative = 0, false_negative = 0;
  double accuracy = 0, precision = 0, recall = 0, f1 = 0;
  double roc_auc = 0;  // area under the ROC curve (ties count half)
  double loss = 0;     // mean binary cross-entropy
};

/** Metrics of probabilities against 0/1 labels, thresholded at 0.5. */
BinaryMetrics binary_metrics(const std::vector<float>& probabilities, const std::vector<float>& labels);

}  // namespace unroll::train
