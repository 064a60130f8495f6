// Turns the labeled IMDB reviews (aclImdb/ layout, scripts/extract-data.sh) into the training-data
// files the in-browser trainer fetches (docs/training-data.md): the full 25,000 / 25,000 splits and
// a small, balanced subset for a quick run. Tokenization, vocabulary and padding are the trainer's
// own (train/imdb_data.h), so a model trained on these files sees what tools/train would give it.
//
//   build/native-release/tools/make_training_data --data data/aclImdb \
//       --archive ../shared/data/aclImdb_labeled.tar.gz --output-dir build/training-data
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/stat.h>

#include "train/data_file.h"
#include "train/imdb_data.h"
#include "train/sha256.h"

using namespace unroll;

namespace {

std::string sha256_of_bytes(std::string_view bytes) {
  train::Sha256 hash;
  hash.update(bytes.data(), bytes.size());
  return hash.hex_digest();
}

/** SHA-256 of a file; "" when it cannot be read. */
std::string sha256_of_file(const std::string& path) {
  Result<std::string> digest = train::sha256_file(path);
  return digest ? digest.value() : std::string();
}

bool write_file(const std::string& path, const std::string& bytes) {
  // A temporary name first, so that a server never hands out half a file.
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary);
    if (!out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()))) return false;
  }
  return std::rename(temporary.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Writes the in-browser trainer's data files (docs/training-data.md) from aclImdb/"};
  std::string data_dir = "data/aclImdb", archive = "../shared/data/aclImdb_labeled.tar.gz";
  std::string output_dir = "build/training-data";
  int vocab_size = 10000, maxlen = 80, subset_train = 2000, subset_test = 1000;
  unsigned seed = 42;
  app.add_option("--data", data_dir, "aclImdb folder")->capture_default_str();
  app.add_option("--archive", archive, "archive the folder was extracted from (its sha256 goes into the provenance; \"\" for none)")
      ->capture_default_str();
  app.add_option("--output-dir", output_dir, "writes imdb-full.bin and imdb-subset.bin here")->capture_default_str();
  app.add_option("--vocab-size", vocab_size, "ids in all, the 3 reserved ones included")->capture_default_str();
  app.add_option("--maxlen", maxlen, "sequence length")->capture_default_str();
  app.add_option("--subset-train", subset_train, "training reviews in the subset file")->capture_default_str();
  app.add_option("--subset-test", subset_test, "test reviews in the subset file")->capture_default_str();
  app.add_option("--seed", seed, "seed of the subset's selection")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);

  std::string archive_sha256;
  if (!archive.empty()) {
    archive_sha256 = sha256_of_file(archive);
    if (archive_sha256.empty()) {
      std::cerr << "make_training_data: cannot read the archive " << archive
                << " (pass --archive \"\" to write no checksum)\n";
      return 1;
    }
  }
  SequenceOptions sequence;  // the tutorial's: pre-padding, pre-truncation, start token
  sequence.maxlen = maxlen;
  std::cerr << "reading and tokenizing " << data_dir << "/{train,test}\n";
  Result<train::TrainingData> full = train::build_imdb_data(data_dir, vocab_size, sequence);
  if (!full) {
    std::cerr << "make_training_data: " << full.error() << "\n";
    return 1;
  }
  mkdir(output_dir.c_str(), 0755);

  nlohmann::ordered_json provenance = {
      {"source", "aclImdb (Maas et al. 2011), train and test splits"},
      {"archive", {{"name", archive.substr(archive.find_last_of('/') + 1)}, {"sha256", archive_sha256}}},
      {"tool", "tools/make_training_data (Unroll)"},
      {"command_line", command_line},
      {"vocabulary", "the vocab_size - 3 most frequent words of the training split (tools/train's)"}};
  for (int variant = 0; variant < 2; ++variant) {
    train::TrainingData data =
        variant == 0 ? full.value() : train::subset(full.value(), subset_train, subset_test, seed);
    nlohmann::ordered_json p = provenance;
    p["subset"] = variant == 0 ? nlohmann::ordered_json(nullptr)
                               : nlohmann::ordered_json{{"seed", seed}, {"balanced", true}};
    data.provenance = p.dump();
    const std::string path = output_dir + (variant == 0 ? "/imdb-full.bin" : "/imdb-subset.bin");
    const std::string bytes = train::write_training_data(data, sha256_of_bytes);
    if (!write_file(path, bytes)) {
      std::cerr << "make_training_data: cannot write " << path << "\n";
      return 1;
    }
    std::fprintf(stderr, "wrote %s: %d train, %d test reviews, %zu bytes\n", path.c_str(),
                 data.split("train")->count(), data.split("test")->count(), bytes.size());
  }
  return 0;
}
