#include "data.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "teachers.h"

namespace unroll::trainer {

namespace {

// The training reviews' words, one review a line, for an unsupervised word-vector tool
// (scripts/pretrain-embeddings.sh): the validation reviews stay out, so that selection by
// validation loss stays honest, and the test split is never read.
Status write_corpus(const std::string& path, const std::vector<std::vector<std::string>>& words,
                    const std::vector<int>& rows) {
  std::ofstream out(path, std::ios::binary);
  for (const int row : rows) {
    const std::vector<std::string>& review = words[row];
    for (std::size_t i = 0; i < review.size(); ++i) {
      if (i) out << ' ';
      out << review[i];
    }
    out << '\n';
  }
  if (!out.flush()) return Error{"could not write the corpus to " + path};
  std::cerr << "wrote " << rows.size() << " training reviews' words to " << path << "\n";
  return {};
}

}  // namespace

Result<TrainingData> prepare_data(const Options& options, const ModelConfig& config) {
  std::cerr << "reading " << options.data_dir << "/train\n";
  Result<std::vector<train::Review>> train_reviews = train::read_split(options.data_dir, "train");
  if (!train_reviews) {
    return Error{train_reviews.error()};
  }
  std::vector<std::vector<std::string>> train_words = train::tokenize_reviews(train_reviews.value());
  const Vocabulary vocabulary =
      Vocabulary::build(train_words, options.vocab_size - Vocabulary::kFirstWord);
  if (vocabulary.size() != options.vocab_size) {
    return Error{"the training split has only " + std::to_string(vocabulary.words().size()) + " distinct words"};
  }
  const train::Examples all_train =
      train::make_examples(train_words, train_reviews.value(), vocabulary, config.sequence);
  std::vector<int> review_blocks;
  if (options.validation_block > 0) {
    for (const train::Review& review : train_reviews.value()) {
      if (review.id < 0) {
        return Error{"--validation-block needs aclImdb's <id>_<rating>.txt file names"};
      }
      review_blocks.push_back(review.id / options.validation_block);
    }
  }
  train_reviews.value().clear();

  std::vector<int> train_rows, validation_rows;
  if (options.validation_block > 0)
    train::grouped_split(all_train.labels, review_blocks, options.validation_fraction, options.split_seed, train_rows, validation_rows);
  else
    train::stratified_split(all_train.labels, options.validation_fraction, options.split_seed, train_rows, validation_rows);
  // A refit is --validation 0 and nothing else: a fraction too small to hold out one review of a
  // label would otherwise train as a refit that the options never checked as one.
  if (options.validation_fraction > 0 && validation_rows.empty()) {
    std::ostringstream fraction;  // as typed (0.001), not std::to_string's fixed six decimals
    fraction << options.validation_fraction;
    return Error{"--validation " + fraction.str() +
                 " holds out no review; use --validation 0 for a refit on every training review"};
  }
  if (options.limit > 0 && options.limit < static_cast<int>(train_rows.size())) {
    std::mt19937 pick(options.split_seed);
    std::shuffle(train_rows.begin(), train_rows.end(), pick);
    train_rows.resize(options.limit);
    std::sort(train_rows.begin(), train_rows.end());
  }
  // After --limit, so that vectors for a learning-curve point are learnt from its reviews only.
  if (!options.write_corpus.empty()) {
    if (Status s = write_corpus(options.write_corpus, train_words, train_rows); !s) return Error{s.error()};
  }
  train_words.clear();
  train_words.shrink_to_fit();
  TrainingData out{vocabulary, train::select(all_train, train_rows), train::select(all_train, validation_rows)};
  // Distillation changes the training targets only: validation, and so every selection by it,
  // still measures against the labels.
  if (!options.teachers.empty()) {
    Result<std::vector<float>> teacher = mean_teacher_probabilities(options.teachers, all_train.labels.size());
    if (!teacher) return Error{teacher.error()};
    const float w = static_cast<float>(options.teacher_weight);
    for (std::size_t k = 0; k < train_rows.size(); ++k)
      out.train.labels[k] = w * teacher.value()[train_rows[k]] + (1.0f - w) * out.train.labels[k];
    std::cerr << "distillation: each training target is " << w << " x the mean of " << options.teachers.size()
              << " teachers + " << 1.0f - w << " x the label\n";
  }
  std::cerr << "vocabulary " << vocabulary.size() << " ids; " << out.train.count() << " training, "
            << out.validation.count() << " validation reviews; " << options.threads << " threads\n";

  return out;
}

}  // namespace unroll::trainer
