#include "text/vocabulary.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

namespace unroll {
namespace {

// Words are stored one per line (serialize(), and the model file), so a line break inside a word
// would shift every later id. '\r' is refused too: a file saved with CRLF line ends would otherwise
// load with a '\r' glued to every word and silently match nothing.
bool has_line_break(std::string_view word) {
  return word.find('\n') != std::string_view::npos || word.find('\r') != std::string_view::npos;
}

// "word 4 (id 6)"; callers add their own context (model_file.cpp prefixes the file's name).
std::string describe(std::size_t index) {
  return "word " + std::to_string(index + 1) + " (id " +
         std::to_string(index + Vocabulary::kFirstWord) + ")";
}

// Shown in error messages; long words are cut so that one bad line does not flood the message.
std::string quote(std::string_view word) {
  constexpr std::size_t kMaxShown = 40;
  std::string shown(word.substr(0, kMaxShown));
  if (word.size() > kMaxShown) shown += "...";
  return "\"" + shown + "\"";
}

}  // namespace

Result<Vocabulary> Vocabulary::from_words(std::vector<std::string> words) {
  Vocabulary vocabulary;
  vocabulary.ids_.reserve(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word.empty()) return Error{describe(i) + " is empty"};
    if (has_line_break(word)) {
      return Error{describe(i) + " " + quote(word) + " contains a line break"};
    }
    const int id = static_cast<int>(i) + kFirstWord;
    const auto [it, inserted] = vocabulary.ids_.emplace(word, id);
    if (!inserted) {
      return Error{describe(i) + " " + quote(word) + " is a duplicate of " +
                   describe(static_cast<std::size_t>(it->second - kFirstWord))};
    }
  }
  vocabulary.words_ = std::move(words);
  return vocabulary;
}

Vocabulary Vocabulary::build(const std::vector<std::vector<std::string>>& documents,
                             int max_words) {
  Vocabulary vocabulary;
  if (max_words <= 0) return vocabulary;

  // Views into `documents`, which outlives this function's counting.
  std::unordered_map<std::string_view, long long> counts;
  for (const auto& document : documents) {
    for (const auto& word : document) {
      // Words that from_words() would refuse can never be in a vocabulary.
      if (word.empty() || has_line_break(word)) continue;
      ++counts[word];
    }
  }

  std::vector<std::pair<std::string_view, long long>> ranked(counts.begin(), counts.end());
  const auto more_frequent = [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return a.first < b.first;  // char_traits<char> compares as unsigned char: byte order
  };
  const std::size_t keep = std::min(ranked.size(), static_cast<std::size_t>(max_words));
  // A total order (words are unique), so the result does not depend on the hash map's order.
  std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end(), more_frequent);

  vocabulary.words_.reserve(keep);
  vocabulary.ids_.reserve(keep);
  for (std::size_t i = 0; i < keep; ++i) {
    vocabulary.words_.emplace_back(ranked[i].first);
    vocabulary.ids_.emplace(vocabulary.words_.back(), static_cast<int>(i) + kFirstWord);
  }
  return vocabulary;
}

int Vocabulary::id(std::string_view word) const {
  // std::unordered_map has no lookup by string_view before C++20; short words fit in the
  // string's inline buffer, so this copy does not allocate for most of them.
  const auto it = ids_.find(std::string(word));
  return it == ids_.end() ? kOutOfVocabulary : it->second;
}

std::string_view Vocabulary::word(int id) const {
  switch (id) {
    case kPadding:
      return "<pad>";
    case kStart:
      return "<start>";
    case kOutOfVocabulary:
      return "<unk>";
    default:
      break;
  }
  if (id < kFirstWord || id - kFirstWord >= static_cast<int>(words_.size())) return {};
  return words_[static_cast<std::size_t>(id - kFirstWord)];
}

std::string Vocabulary::serialize() const {
  std::string text;
  std::size_t bytes = 0;
  for (const auto& word : words_) bytes += word.size() + 1;
  text.reserve(bytes);
  for (std::size_t i = 0; i < words_.size(); ++i) {
    if (i > 0) text.push_back('\n');
    text += words_[i];
  }
  return text;
}

Result<Vocabulary> Vocabulary::deserialize(std::string_view text) {
  std::vector<std::string> words;
  // One final newline is a line terminator (as text editors write), not an empty last word.
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (!text.empty()) {
    std::size_t start = 0;
    while (true) {
      const std::size_t end = text.find('\n', start);
      words.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
  }
  // from_words() reports problems by word number, which is also the line number.
  return from_words(std::move(words));
}

}  // namespace unroll
