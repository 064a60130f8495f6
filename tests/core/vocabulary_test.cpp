// The vocabulary maps words to embedding rows: ids must match the trainer's exactly, so building
// has to be deterministic and loading has to refuse anything that would shift ids.

#include "text/vocabulary.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "text/tokenizer.h"

namespace {

using unroll::Vocabulary;
using Words = std::vector<std::string>;
using Documents = std::vector<std::vector<std::string>>;

Vocabulary make(Words words) {
  unroll::Result<Vocabulary> result = Vocabulary::from_words(std::move(words));
  REQUIRE(result.ok());
  return std::move(result).value();
}

std::vector<std::string> token_texts(std::string_view text) {
  std::vector<std::string> words;
  for (const unroll::Token& token : unroll::tokenize(text)) words.push_back(token.text);
  return words;
}

}  // namespace

TEST_CASE("Vocabulary reserves ids 0, 1, 2", "[vocabulary]") {
  STATIC_REQUIRE(Vocabulary::kPadding == 0);
  STATIC_REQUIRE(Vocabulary::kStart == 1);
  STATIC_REQUIRE(Vocabulary::kOutOfVocabulary == 2);
  STATIC_REQUIRE(Vocabulary::kFirstWord == 3);

  const Vocabulary empty;
  REQUIRE(empty.size() == 3);
  REQUIRE(empty.words().empty());
  REQUIRE(empty.id("anything") == Vocabulary::kOutOfVocabulary);
  REQUIRE(empty.word(0) == "<pad>");
  REQUIRE(empty.word(1) == "<start>");
  REQUIRE(empty.word(2) == "<unk>");
  REQUIRE(empty.word(3).empty());
  REQUIRE(empty.word(-1).empty());
}

TEST_CASE("Vocabulary::from_words numbers words from 3", "[vocabulary]") {
  const Vocabulary vocabulary = make({"the", "movie", "great", "caf\xC3\xA9", "don't"});
  REQUIRE(vocabulary.size() == 8);
  REQUIRE(vocabulary.id("the") == 3);
  REQUIRE(vocabulary.id("movie") == 4);
  REQUIRE(vocabulary.id("great") == 5);
  REQUIRE(vocabulary.id("caf\xC3\xA9") == 6);
  REQUIRE(vocabulary.id("don't") == 7);
  REQUIRE(vocabulary.word(3) == "the");
  REQUIRE(vocabulary.word(7) == "don't");
  REQUIRE(vocabulary.word(8).empty());
  REQUIRE(vocabulary.word(1000000).empty());
  REQUIRE(vocabulary.word(-5).empty());
  REQUIRE(vocabulary.word(0) == "<pad>");

  SECTION("unknown words are out of vocabulary") {
    REQUIRE(vocabulary.id("terrible") == Vocabulary::kOutOfVocabulary);
    REQUIRE(vocabulary.id("") == Vocabulary::kOutOfVocabulary);
    REQUIRE(vocabulary.id("The") == Vocabulary::kOutOfVocabulary);  // lookups are exact
    REQUIRE(vocabulary.id("<pad>") == Vocabulary::kOutOfVocabulary);
  }
  SECTION("every id round-trips through word()") {
    for (int id = Vocabulary::kFirstWord; id < vocabulary.size(); ++id) {
      REQUIRE(vocabulary.id(vocabulary.word(id)) == id);
    }
  }
  SECTION("tokens typed with ’ find the word stored with '") {
    const std::vector<std::string> words = token_texts("DON\xE2\x80\x99T");
    REQUIRE(words.size() == 1);
    REQUIRE(vocabulary.id(words[0]) == 7);
  }
  SECTION("copies are independent and still look words up") {
    Vocabulary copy = vocabulary;
    REQUIRE(copy.id("great") == 5);
    Vocabulary moved = std::move(copy);
    REQUIRE(moved.id("movie") == 4);
  }
}

TEST_CASE("Vocabulary::from_words rejects what would shift ids", "[vocabulary]") {
  SECTION("duplicates, naming both occurrences") {
    const auto result = Vocabulary::from_words({"a", "b", "c", "b"});
    REQUIRE_FALSE(result.ok());
    REQUIRE_THAT(result.error(), Catch::Contains("\"b\"") && Catch::Contains("duplicate") &&
                                     Catch::Contains("word 4 (id 6)") &&
                                     Catch::Contains("word 2 (id 4)"));
  }
  SECTION("empty words") {
    const auto result = Vocabulary::from_words({"a", ""});
    REQUIRE_FALSE(result.ok());
    REQUIRE_THAT(result.error(), Catch::Contains("word 2 (id 4)") && Catch::Contains("empty"));
  }
  SECTION("line breaks") {
    const auto newline = Vocabulary::from_words({"good\nbad"});
    REQUIRE_FALSE(newline.ok());
    REQUIRE_THAT(newline.error(), Catch::Contains("line break") && Catch::Contains("word 1"));
    const auto carriage_return = Vocabulary::from_words({"ok", "good\r"});
    REQUIRE_FALSE(carriage_return.ok());
    REQUIRE_THAT(carriage_return.error(), Catch::Contains("line break"));
  }
  SECTION("long words are shortened in the message") {
    const std::string long_word(1000, 'x');
    const auto result = Vocabulary::from_words({long_word, long_word});
    REQUIRE_FALSE(result.ok());
    REQUIRE(result.error().size() < 200);
  }
  SECTION("an empty list is a valid (empty) vocabulary") {
    const auto result = Vocabulary::from_words({});
    REQUIRE(result.ok());
    REQUIRE(result.value().size() == 3);
  }
}

TEST_CASE("Vocabulary::build keeps the most frequent words", "[vocabulary]") {
  const Documents documents = {
      {"the", "movie", "was", "great"},
      {"the", "plot", "was", "the", "worst"},
      {"great", "great", "the"},
  };
  // the: 4, great: 3, was: 2, movie/plot/worst: 1.
  const Vocabulary all = Vocabulary::build(documents, 100);
  REQUIRE(all.words() == Words{"the", "great", "was", "movie", "plot", "worst"});
  REQUIRE(all.size() == 9);
  REQUIRE(all.id("the") == 3);
  REQUIRE(all.id("worst") == 8);

  REQUIRE(Vocabulary::build(documents, 3).words() == Words{"the", "great", "was"});
  REQUIRE(Vocabulary::build(documents, 4).words() == Words{"the", "great", "was", "movie"});
  REQUIRE(Vocabulary::build(documents, 6).words() == all.words());
  REQUIRE(Vocabulary::build(documents, 0).words().empty());
  REQUIRE(Vocabulary::build(documents, -1).words().empty());
  REQUIRE(Vocabulary::build({}, 10).words().empty());
  REQUIRE(Vocabulary::build({{}, {}}, 10).words().empty());
}

TEST_CASE("Vocabulary::build breaks ties by bytes, ascending", "[vocabulary]") {
  SECTION("equal counts") {
    const Documents documents = {{"zebra", "apple", "mango"}, {"banana"}};
    REQUIRE(Vocabulary::build(documents, 10).words() == Words{"apple", "banana", "mango", "zebra"});
    REQUIRE(Vocabulary::build(documents, 2).words() == Words{"apple", "banana"});
  }
  SECTION("byte order, not locale order: digits < capitals < lowercase < non-ASCII") {
    // 'é' starts with 0xC3, which is above 'z' when bytes compare as unsigned.
    const Documents documents = {{"\xC3\xA9t\xC3\xA9", "zoo", "Zoo", "10", "a", "ab", "a'b"}};
    REQUIRE(Vocabulary::build(documents, 10).words() ==
            Words{"10", "Zoo", "a", "a'b", "ab", "zoo", "\xC3\xA9t\xC3\xA9"});
  }
  SECTION("frequency first, ties inside each frequency") {
    const Documents documents = {{"b", "a", "d", "c", "c", "d", "e", "e", "e"}};
    REQUIRE(Vocabulary::build(documents, 10).words() == Words{"e", "c", "d", "a", "b"});
  }
}

TEST_CASE("Vocabulary::build does not depend on document or word order", "[vocabulary]") {
  // A corpus with many ties at the cut-off, where a hash-order-dependent build would differ.
  Documents documents;
  std::mt19937 random(7);
  for (int d = 0; d < 200; ++d) {
    std::vector<std::string> document;
    for (int w = 0; w < 30; ++w) document.push_back("w" + std::to_string(random() % 300));
    documents.push_back(document);
  }
  const Vocabulary reference = Vocabulary::build(documents, 100);
  REQUIRE(reference.words().size() == 100);
  for (int round = 0; round < 10; ++round) {
    Documents shuffled = documents;
    std::shuffle(shuffled.begin(), shuffled.end(), random);
    for (auto& document : shuffled) std::shuffle(document.begin(), document.end(), random);
    REQUIRE(Vocabulary::build(shuffled, 100).words() == reference.words());
  }
  // And the result is the order it promises: count descending, then bytes ascending.
  std::map<std::string, int> counts;
  for (const auto& document : documents) {
    for (const auto& word : document) ++counts[word];
  }
  const Words& words = reference.words();
  for (std::size_t i = 1; i < words.size(); ++i) {
    const int previous = counts[words[i - 1]], current = counts[words[i]];
    REQUIRE((previous > current || (previous == current && words[i - 1] < words[i])));
  }
  // No word left out is more frequent than the last one kept.
  for (const auto& [word, count] : counts) {
    if (reference.id(word) == Vocabulary::kOutOfVocabulary) {
      REQUIRE(
          (count < counts[words.back()] || (count == counts[words.back()] && word > words.back())));
    }
  }
}

TEST_CASE("Vocabulary::build skips words from_words would refuse", "[vocabulary]") {
  const Documents documents = {{"", "", "", "a\nb", "a\nb", "ok", "line\r"}};
  const Vocabulary vocabulary = Vocabulary::build(documents, 10);
  REQUIRE(vocabulary.words() == Words{"ok"});
  REQUIRE(Vocabulary::deserialize(vocabulary.serialize()).ok());
}

TEST_CASE("Vocabulary::build from tokenized reviews", "[vocabulary]") {
  const Documents documents = {
      token_texts("Great movie!<br /><br />GREAT acting, don\xE2\x80\x99t miss it."),
      token_texts("Don't watch this movie. Terrible."),
  };
  const Vocabulary vocabulary = Vocabulary::build(documents, 3);
  // don't: 2 (both spellings), great: 2, movie: 2.
  REQUIRE(vocabulary.words() == Words{"don't", "great", "movie"});
}

TEST_CASE("Vocabulary serializes to newline-separated words", "[vocabulary]") {
  const Vocabulary vocabulary = make({"the", "caf\xC3\xA9", "don't", "two words", "\xE4\xB8\xAD"});
  const std::string text = vocabulary.serialize();
  REQUIRE(text == "the\ncaf\xC3\xA9\ndon't\ntwo words\n\xE4\xB8\xAD");

  SECTION("round trip is exact") {
    const auto loaded = Vocabulary::deserialize(text);
    REQUIRE(loaded.ok());
    REQUIRE(loaded.value().words() == vocabulary.words());
    REQUIRE(loaded.value().size() == vocabulary.size());
    for (const std::string& word : vocabulary.words()) {
      REQUIRE(loaded.value().id(word) == vocabulary.id(word));
    }
    REQUIRE(loaded.value().serialize() == text);
  }
  SECTION("a built vocabulary round-trips too") {
    const Vocabulary built = Vocabulary::build({{"b", "a", "b", "\xC3\xA9", "c", "c", "c"}}, 10);
    const auto loaded = Vocabulary::deserialize(built.serialize());
    REQUIRE(loaded.ok());
    REQUIRE(loaded.value().words() == built.words());
  }
  SECTION("the empty vocabulary") {
    REQUIRE(Vocabulary().serialize().empty());
    const auto loaded = Vocabulary::deserialize("");
    REQUIRE(loaded.ok());
    REQUIRE(loaded.value().words().empty());
  }
  SECTION("a single word") {
    REQUIRE(make({"solo"}).serialize() == "solo");
    REQUIRE(Vocabulary::deserialize("solo").value().words() == Words{"solo"});
  }
  SECTION("one final newline is accepted as a line terminator") {
    const auto loaded = Vocabulary::deserialize(text + "\n");
    REQUIRE(loaded.ok());
    REQUIRE(loaded.value().words() == vocabulary.words());
    REQUIRE(Vocabulary::deserialize("\n").value().words().empty());
  }
}

TEST_CASE("Vocabulary::deserialize rejects malformed lists", "[vocabulary]") {
  SECTION("an empty line in the middle") {
    const auto result = Vocabulary::deserialize("a\n\nb");
    REQUIRE_FALSE(result.ok());
    REQUIRE_THAT(result.error(), Catch::Contains("word 2") && Catch::Contains("empty"));
  }
  SECTION("two final newlines") {
    const auto result = Vocabulary::deserialize("a\nb\n\n");
    REQUIRE_FALSE(result.ok());
    REQUIRE_THAT(result.error(), Catch::Contains("word 3") && Catch::Contains("empty"));
  }
  SECTION("a duplicate line") {
    const auto result = Vocabulary::deserialize("a\nb\na");
    REQUIRE_FALSE(result.ok());
    REQUIRE_THAT(result.error(), Catch::Contains("\"a\"") && Catch::Contains("duplicate"));
  }
  SECTION("CRLF line ends") {
    const auto result = Vocabulary::deserialize("a\r\nb\r\n");
    REQUIRE_FALSE(result.ok());
    REQUIRE_THAT(result.error(), Catch::Contains("line break"));
  }
}
