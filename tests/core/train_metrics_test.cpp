// Evaluation metrics and the validation split of the trainer.
#include <catch2/catch.hpp>

#include <vector>

#include "train/dataset.h"
#include "train/metrics.h"

using namespace unroll::train;

TEST_CASE("Binary metrics: confusion matrix, precision, recall and ROC-AUC", "[train]") {
  const std::vector<float> p = {0.9f, 0.8f, 0.3f, 0.6f, 0.2f, 0.1f};
  const std::vector<float> y = {1, 1, 1, 0, 0, 0};
  const BinaryMetrics m = binary_metrics(p, y);
  CHECK(m.true_positive == 2);
  CHECK(m.false_negative == 1);
  CHECK(m.false_positive == 1);
  CHECK(m.true_negative == 2);
  CHECK(m.accuracy == Approx(4.0 / 6));
  CHECK(m.precision == Approx(2.0 / 3));
  CHECK(m.recall == Approx(2.0 / 3));
  // Pairs (positive, negative) ranked right: 0.9 and 0.8 beat all three, 0.3 beats 0.2 and 0.1.
  CHECK(m.roc_auc == Approx(8.0 / 9));
  // Ties count half.
  CHECK(binary_metrics({0.5f, 0.5f}, {1, 0}).roc_auc == Approx(0.5));
}

TEST_CASE("The validation split is stratified, seeded and disjoint", "[train]") {
  std::vector<float> labels;
  for (int i = 0; i < 1000; ++i) labels.push_back(i % 4 == 0 ? 1.0f : 0.0f);  // 250 positive
  std::vector<int> train, validation, train2, validation2;
  stratified_split(labels, 0.1, 5, train, validation);
  stratified_split(labels, 0.1, 5, train2, validation2);
  CHECK(validation == validation2);
  CHECK(train.size() + validation.size() == labels.size());
  int positives = 0;
  for (int i : validation) positives += labels[i] > 0.5f;
  CHECK(positives == 25);
  CHECK(validation.size() == 100);
  std::vector<bool> seen(labels.size(), false);
  for (int i : train) seen[i] = true;
  for (int i : validation) CHECK_FALSE(seen[i]);
}
