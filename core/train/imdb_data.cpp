#include "train/imdb_data.h"

#include <algorithm>

#include "train/dataset.h"
#include "train/portable_random.h"

namespace unroll::train {
namespace {

/** `count` rows of `split`, half per label, chosen with `rng`, in file order. */
DataSplit pick(const DataSplit& split, int count, int maxlen, PortableRandom& rng) {
  std::vector<int> chosen;
  for (int label = 0; label <= 1; ++label) {
    std::vector<int> rows;
    for (int i = 0; i < split.count(); ++i)
      if (split.labels[i] == label) rows.push_back(i);
    rng.shuffle(rows);
    const int want = label == 0 ? count / 2 : count - count / 2;
    rows.resize(std::min<std::size_t>(rows.size(), static_cast<std::size_t>(want)));
    chosen.insert(chosen.end(), rows.begin(), rows.end());
  }
  std::sort(chosen.begin(), chosen.end());
  DataSplit out;
  out.name = split.name;
  for (int i : chosen) {
    out.ids.insert(out.ids.end(), split.ids.begin() + std::size_t(i) * maxlen,
                   split.ids.begin() + std::size_t(i + 1) * maxlen);
    out.labels.push_back(split.labels[i]);
  }
  return out;
}

}  // namespace

Result<TrainingData> build_imdb_data(const std::string& root, int vocab_size,
                                     const SequenceOptions& sequence) {
  if (vocab_size <= Vocabulary::kFirstWord || vocab_size > 65536)
    return Error{"vocab_size must be in [4, 65536] (ids are stored as uint16)"};
  if (sequence.maxlen < 1) return Error{"maxlen must be positive"};
  TrainingData data;
  data.sequence = sequence;
  for (const char* name : {"train", "test"}) {
    Result<std::vector<Review>> reviews = read_split(root, name);
    if (!reviews) return Error{reviews.error()};
    const std::vector<std::vector<std::string>> words = tokenize_reviews(reviews.value());
    if (data.splits.empty()) {
      // As tools/train: the vocabulary comes from the training split only.
      data.vocabulary = Vocabulary::build(words, vocab_size - Vocabulary::kFirstWord);
      if (data.vocabulary.size() != vocab_size)
        return Error{root + "/train has only " + std::to_string(data.vocabulary.words().size()) +
                     " distinct words, fewer than vocab_size - 3 = " + std::to_string(vocab_size - 3)};
    }
    data.splits.push_back(to_split(make_examples(words, reviews.value(), data.vocabulary, sequence), name));
  }
  return data;
}

TrainingData subset(const TrainingData& data, int train_count, int test_count, unsigned seed) {
  TrainingData out;
  out.sequence = data.sequence;
  out.vocabulary = data.vocabulary;
  out.provenance = data.provenance;
  PortableRandom rng(seed);
  for (const DataSplit& split : data.splits)
    out.splits.push_back(pick(split, split.name == "test" ? test_count : train_count,
                              data.sequence.maxlen, rng));
  return out;
}

}  // namespace unroll::train
