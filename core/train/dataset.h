#pragma once
// Reading the IMDB reviews in the upstream aclImdb/ layout and turning them into the fixed-length
// id sequences the network trains on. Plain POSIX file access (no <filesystem>, no exceptions), so
// it builds for WebAssembly with the rest of the core, although only the native tools use it.

#include <cstdint>
#include <string>
#include <vector>

#include "text/sequence.h"
#include "text/vocabulary.h"
#include "util/result.h"

namespace unroll::train {

/** One labeled review: its text and 1 (positive) or 0 (negative). */
struct Review {
  std::string text;
  int label = 0;
};

/**
 * Reads the .txt files of `root/split/pos` and `root/split/neg` (root is the aclImdb folder, split is
 * "train" or "test"). Files are read in name order, negatives first, so the result never depends
 * on the directory's order. Fails naming the folder or file that could not be read.
 */
Result<std::vector<Review>> read_split(const std::string& root, const std::string& split);

/** Each review as its words, as tokenize() gives them (lowercased text only). */
std::vector<std::vector<std::string>> tokenize_reviews(const std::vector<Review>& reviews);

/** Fixed-length examples: `ids` holds `count` rows of `steps` ids, row-major. */
struct Examples {
  int steps = 0;
  std::vector<std::int32_t> ids;  // [count × steps]
  std::vector<float> labels;      // [count]
  int count() const { return static_cast<int>(labels.size()); }
  const std::int32_t* row(int i) const { return ids.data() + static_cast<std::size_t>(i) * steps; }
};

/**
 * Maps words to ids and pads/truncates them with make_sequence() (the core's Keras-compatible
 * padding), so that training sees exactly what the inference Model sees. `options.maxlen` must be
 * positive.
 */
Examples make_examples(const std::vector<std::vector<std::string>>& words,
                       const std::vector<Review>& reviews, const Vocabulary& vocabulary,
                       const SequenceOptions& options);

/** The rows `indices` of `examples`, in that order. */
Examples select(const Examples& examples, const std::vector<int>& indices);

/**
 * A stratified, seeded split of `labels` into (train, validation) index lists: `fraction` of each
 * class, rounded to the nearest review, goes to validation. Both lists are sorted.
 */
void stratified_split(const std::vector<float>& labels, double fraction, unsigned seed,
                      std::vector<int>& train, std::vector<int>& validation);

}  // namespace unroll::train
