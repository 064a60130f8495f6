#include "text/sequence.h"

#include <algorithm>
#include <cstddef>
#include <string>

namespace unroll {

const char* to_string(Side side) { return side == Side::Pre ? "pre" : "post"; }

Result<Side> parse_side(std::string_view name) {
  if (name == "pre") return Side::Pre;
  if (name == "post") return Side::Post;
  return Error{"expected \"pre\" or \"post\", got \"" + std::string(name) + "\""};
}

Sequence make_sequence(const std::vector<int>& word_ids, const SequenceOptions& options) {
  // The unpadded sequence is [start id] + word_ids. As with keras.datasets.imdb followed by
  // pad_sequences, the start id is added first and truncation applies to it like to any other
  // id: truncating "pre" a long review drops the start id along with the first words.
  const std::size_t offset = options.start_token ? 1 : 0;
  const std::size_t total = word_ids.size() + offset;
  const std::size_t length = options.maxlen <= 0 ? total  // as is
                             : options.pad ? static_cast<std::size_t>(options.maxlen)
                                           : std::min(total, static_cast<std::size_t>(options.maxlen));

  const std::size_t kept = std::min(total, length);
  // Index, in the unpadded sequence, of its first id inside the window.
  const std::size_t first = options.truncating == Side::Pre ? total - kept : 0;
  const std::size_t padding = length - kept;
  // Position, in the window, of that first id.
  const std::size_t lead = options.padding == Side::Pre ? padding : 0;

  Sequence sequence;
  sequence.ids.assign(length, Vocabulary::kPadding);
  sequence.token_index.assign(length, -1);
  sequence.position.assign(word_ids.size(), -1);
  sequence.padding = static_cast<int>(padding);
  for (std::size_t k = 0; k < kept; ++k) {
    const std::size_t source = first + k;
    const std::size_t step = lead + k;
    if (source < offset) {
      sequence.ids[step] = Vocabulary::kStart;
      sequence.start_kept = true;
      continue;
    }
    const std::size_t token = source - offset;
    sequence.ids[step] = word_ids[token];
    sequence.token_index[step] = static_cast<int>(token);
    sequence.position[token] = static_cast<int>(step);
    ++sequence.kept_tokens;
  }
  return sequence;
}

Sequence make_sequence(const std::vector<Token>& tokens, const Vocabulary& vocabulary,
                       const SequenceOptions& options) {
  std::vector<int> ids;
  ids.reserve(tokens.size());
  for (const Token& token : tokens) ids.push_back(vocabulary.id(token.text));
  return make_sequence(ids, options);
}

}  // namespace unroll
