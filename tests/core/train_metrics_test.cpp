// Evaluation metrics and the validation split of the trainer.
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <random>
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

TEST_CASE("The validation split by blocks keeps whole groups together, per label", "[train]") {
  // 2 labels × 400 reviews; groups of 10 consecutive ids within each label.
  std::vector<float> labels;
  std::vector<int> groups;
  for (int label = 0; label <= 1; ++label)
    for (int id = 0; id < 400; ++id) {
      labels.push_back(static_cast<float>(label));
      groups.push_back(label * 1000 + id / 10);
    }
  std::vector<int> train, validation, train2, validation2;
  grouped_split(labels, groups, 0.1, 7, train, validation);
  grouped_split(labels, groups, 0.1, 7, train2, validation2);
  CHECK(validation == validation2);
  CHECK(train == train2);
  CHECK(validation.size() == 80);  // 4 whole groups of each label
  CHECK(train.size() + validation.size() == labels.size());
  int positives = 0;
  for (int i : validation) positives += labels[i] > 0.5f;
  CHECK(positives == 40);
  std::vector<bool> held(2000, false);
  for (int i : validation) held[groups[i]] = true;
  for (int i : train) CHECK_FALSE(held[groups[i]]);  // no group on both sides
  std::vector<int> other_train, other_validation;
  grouped_split(labels, groups, 0.1, 8, other_train, other_validation);
  CHECK(other_validation != validation);  // the seed chooses the groups
}

TEST_CASE("Word dropout replaces words by the out-of-vocabulary id, seeded", "[train]") {
  using unroll::Vocabulary;
  const int count = 20, steps = 50;
  std::vector<std::vector<std::int32_t>> rows(count);
  std::vector<const std::int32_t*> pointers;
  for (int b = 0; b < count; ++b) {
    for (int t = 0; t < steps; ++t) rows[b].push_back(t < 10 ? 0 : t == 10 ? 1 : t == 11 ? 2 : 3 + (b * 7 + t) % 40);
    pointers.push_back(rows[b].data());
  }
  std::vector<std::int32_t> out, again, none;
  std::mt19937 rng(11), rng2(11), rng3(11);
  drop_words(pointers.data(), count, steps, 0.25f, rng, out);
  drop_words(pointers.data(), count, steps, 0.25f, rng2, again);
  CHECK(out == again);
  REQUIRE(out.size() == static_cast<std::size_t>(count * steps));
  int words = 0, dropped = 0;
  for (int b = 0; b < count; ++b)
    for (int t = 0; t < steps; ++t) {
      const std::int32_t before = rows[b][t], after = out[b * steps + t];
      if (before < Vocabulary::kFirstWord) {
        CHECK(after == before);  // padding, start and OOV stay
      } else {
        ++words;
        CHECK((after == before || after == Vocabulary::kOutOfVocabulary));
        dropped += after == Vocabulary::kOutOfVocabulary;
      }
    }
  CHECK(words == count * 38);
  CHECK(dropped > words * 0.2);
  CHECK(dropped < words * 0.3);
  drop_words(pointers.data(), count, steps, 0.0f, rng3, none);
  for (int b = 0; b < count; ++b)
    for (int t = 0; t < steps; ++t) CHECK(none[b * steps + t] == rows[b][t]);
  CHECK(rng3() == std::mt19937(11)());  // rate 0 draws nothing
}

TEST_CASE("read_split takes the id and rating from <id>_<rating>.txt", "[train]") {
  char root[] = "/tmp/unroll-read-split-XXXXXX";
  REQUIRE(mkdtemp(root) != nullptr);
  const std::string base = root;
  const std::vector<std::string> folders = {base + "/train", base + "/train/neg", base + "/train/pos"};
  for (const std::string& folder : folders) REQUIRE(mkdir(folder.c_str(), 0700) == 0);
  const std::vector<std::string> files = {"/train/neg/12_3.txt", "/train/pos/5_10.txt", "/train/pos/other.txt"};
  for (const std::string& name : files) {
    std::FILE* f = std::fopen((base + name).c_str(), "wb");
    REQUIRE(f != nullptr);
    std::fputs("fine film", f);
    std::fclose(f);
  }
  const auto reviews = read_split(base, "train");
  for (const std::string& name : files) std::remove((base + name).c_str());
  for (auto it = folders.rbegin(); it != folders.rend(); ++it) rmdir(it->c_str());
  rmdir(root);
  REQUIRE(reviews);
  REQUIRE(reviews.value().size() == 3);
  CHECK(reviews.value()[0].label == 0);
  CHECK(reviews.value()[0].id == 12);
  CHECK(reviews.value()[0].rating == 3);
  CHECK(reviews.value()[1].id == 5);
  CHECK(reviews.value()[1].rating == 10);
  CHECK(reviews.value()[2].id == -1);  // "other.txt"
  CHECK(reviews.value()[2].rating == -1);
}

TEST_CASE("word_window spans the steps that hold a word in some sequence", "[train]") {
  const std::vector<std::int32_t> a = {0, 0, 0, 1, 7, 9}, b = {0, 0, 1, 5, 0, 0}, empty(6, 0);
  const std::int32_t* both[] = {a.data(), b.data()};
  const StepWindow window = word_window(both, 2, 6);
  CHECK(window.first == 2);
  CHECK(window.end == 6);
  const std::int32_t* none[] = {empty.data()};
  const StepWindow fallback = word_window(none, 1, 6);
  CHECK(fallback.end - fallback.first == 1);  // one (padded, state-keeping) step, never zero
}

TEST_CASE("bucket_by_length groups similar lengths and keeps every example once", "[train]") {
  const int n = 1000, batch = 10;
  std::vector<int> lengths(n), order(n);
  std::mt19937 rng(3);
  for (int i = 0; i < n; ++i) lengths[i] = static_cast<int>(rng() % 500), order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<int> bucketed = order;
  bucket_by_length(bucketed, lengths, batch, 20, rng);
  std::vector<int> sorted = bucketed;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < n; ++i) REQUIRE(sorted[i] == i);
  // The spread of lengths inside a batch shrinks from about the whole range to a few percent.
  auto mean_spread = [&](const std::vector<int>& o) {
    double sum = 0;
    for (int first = 0; first < n; first += batch) {
      int lo = 1 << 30, hi = -1;
      for (int i = first; i < first + batch; ++i) lo = std::min(lo, lengths[o[i]]), hi = std::max(hi, lengths[o[i]]);
      sum += hi - lo;
    }
    return sum / (n / batch);
  };
  CHECK(mean_spread(order) > 300);
  CHECK(mean_spread(bucketed) < 40);
}
