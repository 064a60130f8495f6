// train/word_vectors.h: a fastText ".vec" file's vectors land on the rows of their words and nowhere
// else, scaled as asked; a malformed file or a width other than the embedding's is refused with the
// line that is wrong.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "train/word_vectors.h"

using namespace unroll;
using namespace unroll::train;

namespace {

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

Vocabulary three_words() { return Vocabulary::from_words({"good", "bad", "film"}).value(); }

}  // namespace

TEST_CASE("Word vectors overwrite their words' rows only", "[train][word_vectors]") {
  const Vocabulary vocabulary = three_words();
  Matrix embedding = Matrix::Constant(vocabulary.size(), 2, 7.0f);
  const std::string path = write_file("unroll_word_vectors.vec",
                                      "5 2\n</s> 9 9\ngood 1 -2\nunseen 9 9\nfilm 0.5 0.25\n<pad> 9 9\n");
  Result<int> found = load_word_vectors(path, vocabulary, embedding, 0.0f);
  REQUIRE(found);
  CHECK(found.value() == 2);
  CHECK(embedding.row(vocabulary.id("good")) == RowVector((RowVector(2) << 1.0f, -2.0f).finished()));
  CHECK(embedding.row(vocabulary.id("film")) == RowVector((RowVector(2) << 0.5f, 0.25f).finished()));
  // A word without a vector and the reserved ids (even one the file spells) keep their values.
  CHECK((embedding.row(vocabulary.id("bad")).array() == 7.0f).all());
  for (int id = 0; id < Vocabulary::kFirstWord; ++id) CHECK((embedding.row(id).array() == 7.0f).all());
}

TEST_CASE("Word vectors are scaled together to the asked root mean square", "[train][word_vectors]") {
  const Vocabulary vocabulary = three_words();
  Matrix embedding = Matrix::Zero(vocabulary.size(), 2);
  const std::string path = write_file("unroll_word_vectors_rms.vec", "2 2\ngood 3 -3\nbad 1 1\n");
  REQUIRE(load_word_vectors(path, vocabulary, embedding, 0.5f));
  // RMS before: sqrt((9+9+1+1)/4) = sqrt(5); every element is multiplied by 0.5/sqrt(5).
  const float scale = 0.5f / std::sqrt(5.0f);
  CHECK(embedding(vocabulary.id("good"), 0) == Approx(3 * scale));
  CHECK(embedding(vocabulary.id("bad"), 1) == Approx(scale));
  CHECK(std::sqrt(embedding.squaredNorm() / 4) == Approx(0.5f));
  CHECK((embedding.row(vocabulary.id("film")).array() == 0.0f).all());
}

TEST_CASE("Malformed word vectors are refused with their line", "[train][word_vectors]") {
  const Vocabulary vocabulary = three_words();
  Matrix embedding = Matrix::Zero(vocabulary.size(), 2);
  const auto refusal = [&](const std::string& text) {
    Result<int> found = load_word_vectors(write_file("unroll_word_vectors_bad.vec", text), vocabulary, embedding, 0.0f);
    REQUIRE_FALSE(found);
    return found.error();
  };
  CHECK_THAT(refusal("good 1 2\n"), Catch::Contains(":1: expected the header"));
  CHECK_THAT(refusal("1 3\ngood 1 2 3\n"), Catch::Contains("the vectors are 3 wide, the embedding 2"));
  CHECK_THAT(refusal("2 2\ngood 1 2\nbad 1\n"), Catch::Contains(":3: expected 2 numbers after \"bad\""));
  CHECK_THAT(refusal("1 2\ngood 1 nan\n"), Catch::Contains(":2: expected 2 numbers"));
  CHECK_THAT(load_word_vectors("/nonexistent/unroll.vec", vocabulary, embedding, 0.0f).error(),
             Catch::Contains("cannot open the word vectors /nonexistent/unroll.vec"));
}
