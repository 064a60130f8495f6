#pragma once
// tools/train's command line: every option and its default, and the model configuration they give.

#include <string>
#include <vector>

#include "nn/config.h"
#include "util/result.h"

namespace unroll::trainer {

/** Everything the command line sets (names as in --help). */
struct Options {
  std::string data_dir = "data/aclImdb", output, archive = "../shared/data/aclImdb_labeled.tar.gz";
  std::string cell_name = "simple_rnn", padding = "pre", truncating = "pre", dtype_name = "auto";
  std::string pooling = "last";  // ModelConfig::pooling by name
  std::string select = "accuracy";
  int vocab_size = 10000, maxlen = 80, embedding_dim = 100, units = 64, layers = 2;
  std::string checkpoint;
  std::string write_corpus;    // --write-corpus: write the training reviews' words here, then stop
  std::string embedding_init;  // --embedding-init: a ".vec" file the embedding starts from
  float embedding_init_rms = 0.0f;
  bool bidirectional = false, no_start_token = false, skip_test = false, mask_padding = false;
  float dropout = 0.2f, word_dropout = 0.0f, weight_decay = 0.0f, ema = 0.0f;
  double learning_rate = 1e-3;
  double clip = 5.0, validation_fraction = 0.1;
  int batch_size = 128, epochs = 4, patience = 0, threads = 2, limit = 0, validation_block = 0;
  int bucket = 0;  // --bucket: pools of this many batches sorted by length (masked models only)
  unsigned seed = 42;
  // --split-seed: draws the validation split and the --limit subset (default: --seed), so that
  // runs differing only in --seed train and validate on the same reviews.
  unsigned split_seed = 42;
  // --teacher: other models' probabilities for the training reviews; the targets become
  // teacher_weight × their mean + (1 − teacher_weight) × the label (distillation, docs/training.md).
  std::vector<std::string> teachers;
  double teacher_weight = 0.5;
  std::string command_line;  // as typed, for the provenance
};

/** Parses argv into `options`: -1 to go on, or the exit code (help, --cpu-check, bad options). */
int parse_options(int argc, char** argv, Options& options);

/** The model configuration the options describe, or what is wrong with it. */
Result<ModelConfig> model_config(const Options& options);

}  // namespace unroll::trainer
