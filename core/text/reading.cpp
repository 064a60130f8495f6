#include "text/reading.h"

#include <algorithm>

namespace unroll {

Reading read_review(std::string_view text, const Vocabulary& vocabulary,
                    const SequenceOptions& options, std::size_t context) {
  context = std::max<std::size_t>(context, 1);
  const std::size_t maxlen = options.maxlen > 0 ? static_cast<std::size_t>(options.maxlen) : 0;
  const std::size_t keep =
      maxlen == 0 || context > kEveryToken - maxlen ? kEveryToken : maxlen + context;
  const bool keep_last = options.truncating == Side::Pre;

  Reading reading;
  std::vector<Token>& tokens = reading.tokens;
  std::vector<int>& ids = reading.word_ids;
  for_each_token(text, [&](const Token& token) {
    const int id = vocabulary.id(token.text);
    const std::size_t index = reading.total_tokens++;
    if (id == Vocabulary::kOutOfVocabulary) ++reading.oov_tokens;
    if (tokens.size() < keep) {
      tokens.push_back(token);
      ids.push_back(id);
    } else if (keep_last) {
      // A ring buffer of the last `keep` tokens; assigning reuses each slot's string.
      tokens[index % keep] = token;
      ids[index % keep] = id;
    }
  });
  if (keep_last && reading.total_tokens > keep) {
    // Oldest first: the slot the next token would have overwritten.
    const auto oldest = static_cast<std::ptrdiff_t>(reading.total_tokens % keep);
    std::rotate(tokens.begin(), tokens.begin() + oldest, tokens.end());
    std::rotate(ids.begin(), ids.begin() + oldest, ids.end());
    reading.first_token = reading.total_tokens - keep;
  }
  reading.sequence = make_sequence(ids, options);
  return reading;
}

}  // namespace unroll
