#pragma once
// Reading the IMDB reviews in the upstream aclImdb/ layout and turning them into the fixed-length
// id sequences the network trains on. Plain POSIX file access (no <filesystem>, no exceptions), so
// it builds for WebAssembly with the rest of the core, although only the native tools use it.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "nn/config.h"
#include "text/sequence.h"
#include "text/vocabulary.h"
#include "util/result.h"

namespace unroll::train {

/**
 * One labeled review: its text, 1 (positive) or 0 (negative), and the `<id>_<rating>` of its file
 * name (-1 when the name does not have that form). In aclImdb the reviews of one movie have
 * consecutive ids within a label folder.
 */
struct Review {
  std::string text;
  int label = 0;
  int id = -1;
  int rating = -1;
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

/**
 * Like stratified_split, but whole groups go to validation: for each label the distinct values of
 * `groups` among that label's reviews are shuffled (seeded) and taken in turn until `fraction` of the
 * label's reviews, rounded to the nearest review, is reached (the last group taken may overshoot).
 * Both lists are sorted. With groups = id / N (aclImdb ids, see Review) no movie's reviews of one
 * label straddle the split except at the boundaries of the blocks of N ids.
 */
void grouped_split(const std::vector<float>& labels, const std::vector<int>& groups, double fraction,
                   unsigned seed, std::vector<int>& train, std::vector<int>& validation);

/**
 * Word dropout: copies `count` sequences of `steps` ids into `out` ([count × steps], row-major),
 * replacing each word id (>= Vocabulary::kFirstWord) by Vocabulary::kOutOfVocabulary with
 * probability `rate`, one draw per word from `rng`, in row order. Padding, start and
 * out-of-vocabulary ids are kept and draw nothing.
 */
void drop_words(const std::int32_t* const* sequences, int count, int steps, float rate,
                std::mt19937& rng, std::vector<std::int32_t>& out);

/**
 * The steps [first, end) that hold a non-padding id in at least one of `count` sequences of
 * `steps` ids. For a masked model (ModelConfig::mask_padding) the steps outside it change no
 * state, so a batch can be run on that window alone. At least one step when nothing is a word.
 */
struct StepWindow {
  int first = 0, end = 0;
};
StepWindow word_window(const std::int32_t* const* sequences, int count, int steps);

/**
 * The steps a batch of `count` sequences of `steps` ids runs: for a masked model only its
 * word_window(), with `rows` moved to the window's first step; for any other model all `steps`.
 */
StepWindow batch_window(const ModelConfig& config, const std::int32_t** rows, int count, int steps);

/**
 * Length bucketing for masked models: cuts `order` into pools of `pool_batches` batches of
 * `batch_size`, sorts each pool by `lengths[i]` (words per example) so that a batch holds
 * reviews of similar length, and shuffles the batches within the pool with `rng`. A batch of
 * similar lengths has a short word_window(): the padding it no longer runs is the saving.
 */
void bucket_by_length(std::vector<int>& order, const std::vector<int>& lengths, int batch_size,
                      int pool_batches, std::mt19937& rng);

}  // namespace unroll::train
