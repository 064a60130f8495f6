// Arbitrary text through the whole pipeline: tokenize → sequence → traced forward pass, and the
// page's one-pass read (read_review) must build the same sequence from the words it keeps.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "io/model_file.h"
#include "nn/model.h"
#include "text/reading.h"
#include "text/sequence.h"
#include "text/tokenizer.h"

namespace {
unroll::Model& model() {
  static std::optional<unroll::Model> instance = [] {
    auto file = unroll::read_model_file(UNROLL_FUZZ_MODEL);
    if (!file.ok()) {
      std::fprintf(stderr, "%s\n", file.error().c_str());
      std::abort();
    }
    auto created = unroll::Model::create(file.value().config, std::move(file.value().weights),
                                         std::move(file.value().vocabulary));
    if (!created.ok()) std::abort();
    return std::optional<unroll::Model>(std::move(created).value());
  }();
  return *instance;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  unroll::Model& m = model();
  unroll::SequenceOptions options = m.config().sequence;
  options.maxlen = 24;  // the fixture's own maxlen may be 0 (unbounded); keep runs short
  const auto tokens = unroll::tokenize(text);
  const unroll::Sequence sequence = unroll::make_sequence(tokens, m.vocabulary(), options);
  if (sequence.ids.size() != 24) std::abort();
  for (const unroll::Side truncating : {unroll::Side::Pre, unroll::Side::Post}) {
    unroll::SequenceOptions read_options = options;
    read_options.truncating = truncating;
    const unroll::Reading reading = unroll::read_review(text, m.vocabulary(), read_options, 3);
    const unroll::Sequence expected = unroll::make_sequence(tokens, m.vocabulary(), read_options);
    if (reading.sequence.ids != expected.ids || reading.total_tokens != tokens.size() ||
        reading.tokens.size() > std::min<std::size_t>(tokens.size(), 24 + 3))
      std::abort();
    for (std::size_t i = 0; i < reading.tokens.size(); ++i) {
      const unroll::Token& token = tokens[reading.first_token + i];
      if (reading.tokens[i].text != token.text || reading.tokens[i].begin != token.begin) std::abort();
    }
  }
  static unroll::Trace trace;
  m.trace(sequence.ids, trace);
  if (!std::isfinite(trace.logit) || trace.probability < 0.0f || trace.probability > 1.0f)
    std::abort();
  return 0;
}
