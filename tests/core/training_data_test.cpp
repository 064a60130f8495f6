// The training-data file (train/data_file.h) and its maker (train/imdb_data.h): built from a tiny
// aclImdb-layout folder written here (never the real reviews), the ids must be exactly what the
// trainer's make_sequence gives; the file must read back bit for bit and refuse damaged bytes
// with a message that says what is wrong.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "text/tokenizer.h"
#include "train/data_file.h"
#include "train/imdb_data.h"

using namespace unroll;
using namespace unroll::train;

namespace {

std::string fake_sha256(std::string_view) { return std::string(64, 'a'); }

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

/** root/aclImdb/{train,test}/{pos,neg} with a few reviews each; returns the aclImdb path. */
std::string make_fake_imdb() {
  char pattern[] = "/tmp/unroll-imdb-XXXXXX";
  const std::string root = std::string(mkdtemp(pattern)) + "/aclImdb";
  mkdir(root.c_str(), 0755);
  const char* good[] = {"A great, great film. Loved it!", "Wonderful acting; great story.",
                        "Great fun<br />great cast", "I loved every great minute of it"};
  const char* bad[] = {"Awful. Boring plot, awful acting.", "Boring and awful and long",
                       "What a waste: boring!", "The worst, most boring film ever made, awful"};
  for (const char* split : {"train", "test"}) {
    mkdir((root + "/" + split).c_str(), 0755);
    for (const char* label : {"pos", "neg"}) {
      const std::string folder = root + "/" + split + "/" + label;
      mkdir(folder.c_str(), 0755);
      for (int i = 0; i < 4; ++i)
        write_text(folder + "/" + std::to_string(i) + "_" + (label[0] == 'p' ? "9" : "2") + ".txt",
                   std::string(label[0] == 'p' ? good[i] : bad[i]) + (split[1] == 'e' ? " test" : ""));
    }
  }
  return root;
}

}  // namespace

TEST_CASE("Training data from an aclImdb folder holds the trainer's own sequences", "[train][data]") {
  const std::string root = make_fake_imdb();
  SequenceOptions sequence;
  sequence.maxlen = 6;
  Result<TrainingData> built = build_imdb_data(root, 12, sequence);
  REQUIRE(built.ok());
  const TrainingData& data = built.value();
  REQUIRE(data.vocabulary.size() == 12);
  CHECK(data.vocabulary.id("great") == Vocabulary::kFirstWord);  // the most frequent word of train
  REQUIRE(data.splits.size() == 2);
  for (const DataSplit& split : data.splits) {
    REQUIRE(split.count() == 8);
    Result<std::vector<Review>> reviews = read_split(root, split.name);
    REQUIRE(reviews.ok());
    for (int i = 0; i < split.count(); ++i) {
      const Review& review = reviews.value()[i];
      CHECK(split.labels[i] == review.label);
      const std::vector<int> expected = make_sequence(tokenize(review.text), data.vocabulary, sequence).ids;
      const std::vector<int> got(split.ids.begin() + i * 6, split.ids.begin() + (i + 1) * 6);
      CHECK(got == expected);
    }
  }

  // A missing folder is named.
  Result<TrainingData> missing = build_imdb_data(root + "/nowhere", 12, sequence);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().find("nowhere") != std::string::npos);
  // More words than the training split has.
  CHECK_FALSE(build_imdb_data(root, 5000, sequence).ok());

  // The subset is balanced and keeps the vocabulary.
  const TrainingData small = subset(data, 4, 2, 1);
  CHECK(small.split("train")->count() == 4);
  CHECK(small.split("test")->count() == 2);
  int positives = 0;
  for (std::uint8_t label : small.split("train")->labels) positives += label;
  CHECK(positives == 2);
  CHECK(small.vocabulary.words() == data.vocabulary.words());
}

TEST_CASE("Training-data file round-trips and refuses damaged bytes", "[train][data]") {
  TrainingData data;
  data.sequence.maxlen = 3;
  data.vocabulary = Vocabulary::from_words({"good", "bad", "film"}).value();
  DataSplit train;
  train.name = "train";
  train.ids = {0, 1, 3, 1, 4, 5};
  train.labels = {1, 0};
  data.splits.push_back(train);
  data.provenance = R"({"archive":{"name":"x.tar.gz","sha256":"00"}})";
  const std::string bytes = write_training_data(data, fake_sha256);
  REQUIRE(bytes.size() % 8 == 0);
  const auto* raw = reinterpret_cast<const std::uint8_t*>(bytes.data());

  Result<TrainingData> read = read_training_data(raw, bytes.size(), "d.bin");
  REQUIRE(read.ok());
  CHECK(read.value().sequence.maxlen == 3);
  CHECK(read.value().vocabulary.words() == data.vocabulary.words());
  REQUIRE(read.value().split("train"));
  CHECK(read.value().split("train")->ids == train.ids);
  CHECK(read.value().split("train")->labels == train.labels);
  CHECK(read.value().payload_sha256 == fake_sha256(""));
  CHECK(read.value().provenance.find("x.tar.gz") != std::string::npos);
  CHECK(training_data_payload(raw, bytes.size()).size() % 8 == 0);

  auto error_of = [](std::string b) {
    Result<TrainingData> r = read_training_data(reinterpret_cast<const std::uint8_t*>(b.data()), b.size(), "d.bin");
    REQUIRE_FALSE(r.ok());
    return r.error();
  };
  CHECK(error_of("hello").find("d.bin: not an Unroll training-data file") == 0);
  std::string bad_version = bytes;
  bad_version[8] = 2;
  CHECK(error_of(bad_version).find("version 2") != std::string::npos);
  CHECK(error_of(bytes.substr(0, bytes.size() - 16)).find("runs past the end of the payload") != std::string::npos);
  // An id at vocab_size: the last id of the train split is the ids section's last two bytes.
  const std::size_t header = 16 + (raw[12] | raw[13] << 8);
  std::string big_id = bytes;
  const std::size_t ids_at = header + 16;  // after the vocabulary "good\nbad\nfilm" (13 bytes, rounded to 16)
  big_id[ids_at + 10] = 6;
  CHECK(error_of(big_id).find("train.ids: review 1 has id 6, not below vocab_size 6") != std::string::npos);
  std::string bad_label = bytes;
  bad_label[ids_at + 16] = 7;  // the labels follow the 12 bytes of ids, rounded to 16
  CHECK(error_of(bad_label).find("train.labels[0] is 7") != std::string::npos);
}
