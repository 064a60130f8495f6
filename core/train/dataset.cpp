#include "train/dataset.h"

#include <dirent.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "text/tokenizer.h"
#include "train/file_chunks.h"

namespace unroll::train {

namespace {

Result<std::vector<std::string>> list_text_files(const std::string& folder) {
  DIR* dir = opendir(folder.c_str());
  if (!dir) return Error{folder + ": cannot open folder (is the aclImdb layout there?)"};
  std::vector<std::string> names;
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".txt") == 0) names.push_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::string> read_text(const std::string& path) {
  std::string text;
  Status read = for_each_chunk(path, [&text](const char* data, std::size_t size) { text.append(data, size); });
  if (!read) return Error{read.error()};
  return text;
}

// "<id>_<rating>.txt" → id, rating; leaves both -1 for any other name.
void parse_name(const std::string& name, int& id, int& rating) {
  int a = -1, b = -1, consumed = 0;
  if (std::sscanf(name.c_str(), "%9d_%9d.txt%n", &a, &b, &consumed) == 2 &&
      consumed == static_cast<int>(name.size()) && a >= 0 && b >= 0) {
    id = a;
    rating = b;
  }
}

}  // namespace

Result<std::vector<Review>> read_split(const std::string& root, const std::string& split) {
  std::vector<Review> reviews;
  for (int label = 0; label <= 1; ++label) {
    const std::string folder = root + "/" + split + "/" + (label ? "pos" : "neg");
    Result<std::vector<std::string>> names = list_text_files(folder);
    if (!names) return Error{names.error()};
    if (names.value().empty()) return Error{folder + ": no .txt reviews"};
    for (const std::string& name : names.value()) {
      Result<std::string> text = read_text(folder + "/" + name);
      if (!text) return Error{text.error()};
      Review review{std::move(text.value()), label};
      parse_name(name, review.id, review.rating);
      reviews.push_back(std::move(review));
    }
  }
  return reviews;
}

std::vector<std::vector<std::string>> tokenize_reviews(const std::vector<Review>& reviews) {
  std::vector<std::vector<std::string>> words(reviews.size());
  for (std::size_t i = 0; i < reviews.size(); ++i) {
    std::vector<Token> tokens = tokenize(reviews[i].text);
    words[i].reserve(tokens.size());
    for (Token& token : tokens) words[i].push_back(std::move(token.text));
  }
  return words;
}

Examples make_examples(const std::vector<std::vector<std::string>>& words,
                       const std::vector<Review>& reviews, const Vocabulary& vocabulary,
                       const SequenceOptions& options) {
  Examples examples;
  examples.steps = options.maxlen;
  examples.ids.reserve(words.size() * static_cast<std::size_t>(options.maxlen));
  std::vector<int> ids;
  for (std::size_t i = 0; i < words.size(); ++i) {
    ids.clear();
    for (const std::string& word : words[i]) ids.push_back(vocabulary.id(word));
    const Sequence sequence = make_sequence(ids, options);
    examples.ids.insert(examples.ids.end(), sequence.ids.begin(), sequence.ids.end());
    examples.labels.push_back(static_cast<float>(reviews[i].label));
  }
  return examples;
}

Examples select(const Examples& examples, const std::vector<int>& indices) {
  Examples out;
  out.steps = examples.steps;
  out.ids.reserve(indices.size() * static_cast<std::size_t>(examples.steps));
  for (int i : indices) {
    out.ids.insert(out.ids.end(), examples.row(i), examples.row(i) + examples.steps);
    out.labels.push_back(examples.labels[static_cast<std::size_t>(i)]);
  }
  return out;
}

void stratified_split(const std::vector<float>& labels, double fraction, unsigned seed,
                      std::vector<int>& train, std::vector<int>& validation) {
  train.clear();
  validation.clear();
  std::mt19937 rng(seed);
  for (int label = 0; label <= 1; ++label) {
    std::vector<int> members;
    for (std::size_t i = 0; i < labels.size(); ++i)
      if (static_cast<int>(labels[i]) == label) members.push_back(static_cast<int>(i));
    std::shuffle(members.begin(), members.end(), rng);
    const auto held = static_cast<std::size_t>(std::lround(fraction * members.size()));
    validation.insert(validation.end(), members.begin(), members.begin() + held);
    train.insert(train.end(), members.begin() + held, members.end());
  }
  std::sort(train.begin(), train.end());
  std::sort(validation.begin(), validation.end());
}

void grouped_split(const std::vector<float>& labels, const std::vector<int>& groups, double fraction,
                   unsigned seed, std::vector<int>& train, std::vector<int>& validation) {
  train.clear();
  validation.clear();
  std::mt19937 rng(seed);
  for (int label = 0; label <= 1; ++label) {
    std::vector<int> members, keys;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (static_cast<int>(labels[i]) != label) continue;
      members.push_back(static_cast<int>(i));
      keys.push_back(groups[i]);
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::shuffle(keys.begin(), keys.end(), rng);
    const auto target = static_cast<std::size_t>(std::lround(fraction * members.size()));
    std::vector<int> held_keys;
    std::size_t held = 0;
    for (int key : keys) {
      if (held >= target) break;
      held_keys.push_back(key);
      for (int i : members) held += groups[static_cast<std::size_t>(i)] == key;
    }
    std::sort(held_keys.begin(), held_keys.end());
    for (int i : members) {
      const bool out = std::binary_search(held_keys.begin(), held_keys.end(), groups[static_cast<std::size_t>(i)]);
      (out ? validation : train).push_back(i);
    }
  }
  std::sort(train.begin(), train.end());
  std::sort(validation.begin(), validation.end());
}

void drop_words(const std::int32_t* const* sequences, int count, int steps, float rate,
                std::mt19937& rng, std::vector<std::int32_t>& out) {
  out.resize(static_cast<std::size_t>(count) * steps);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  for (int b = 0; b < count; ++b) {
    for (int t = 0; t < steps; ++t) {
      std::int32_t id = sequences[b][t];
      if (id >= Vocabulary::kFirstWord && rate > 0.0f && uniform(rng) < rate) id = Vocabulary::kOutOfVocabulary;
      out[static_cast<std::size_t>(b) * steps + t] = id;
    }
  }
}

StepWindow word_window(const std::int32_t* const* sequences, int count, int steps) {
  StepWindow window{steps, 0};
  for (int b = 0; b < count; ++b) {
    for (int t = 0; t < steps; ++t) {
      if (sequences[b][t] == Vocabulary::kPadding) continue;
      window.first = std::min(window.first, t);
      window.end = std::max(window.end, t + 1);
    }
  }
  if (window.end <= window.first) window = {0, std::min(steps, 1)};
  return window;
}

StepWindow batch_window(const ModelConfig& config, const std::int32_t** rows, int count, int steps) {
  if (!config.mask_padding) return {0, steps};
  const StepWindow window = word_window(rows, count, steps);
  for (int i = 0; i < count; ++i) rows[i] += window.first;
  return window;
}

void bucket_by_length(std::vector<int>& order, const std::vector<int>& lengths, int batch_size,
                      int pool_batches, std::mt19937& rng) {
  const std::size_t pool = std::size_t(batch_size) * pool_batches;
  std::vector<int> sorted;
  std::vector<std::size_t> batches;
  for (std::size_t begin = 0; begin < order.size(); begin += pool) {
    const std::size_t end = std::min(order.size(), begin + pool);
    std::stable_sort(order.begin() + begin, order.begin() + end,
                     [&](int a, int b) { return lengths[a] < lengths[b]; });
    batches.clear();
    for (std::size_t first = begin; first < end; first += batch_size) batches.push_back(first);
    std::shuffle(batches.begin(), batches.end(), rng);
    sorted.clear();
    for (std::size_t first : batches)
      sorted.insert(sorted.end(), order.begin() + first,
                    order.begin() + std::min(end, first + batch_size));
    std::copy(sorted.begin(), sorted.end(), order.begin() + begin);
  }
}

}  // namespace unroll::train
