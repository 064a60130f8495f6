#include "options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>

#include "train/cpu_check.h"

namespace unroll::trainer {

int parse_options(int argc, char** argv, Options& options) {
  CLI::App app{"Trains an IMDB sentiment RNN and writes a model file (docs/model-format.md)"};
  app.add_option("--data", options.data_dir, "aclImdb folder (scripts/extract-data.sh puts it in data/)")->capture_default_str();
  app.add_option("--archive", options.archive, "archive the data came from, for the provenance checksum")->capture_default_str();
  app.add_option("-o,--output", options.output, "model file to write")->required();
  app.add_option("--cell", options.cell_name, "simple_rnn | lstm | gru")->capture_default_str();
  app.add_option("--vocab-size", options.vocab_size, "embedding rows, the 3 reserved ids included")->capture_default_str();
  app.add_option("--maxlen", options.maxlen, "sequence length")->capture_default_str();
  app.add_option("--padding", options.padding, "pre | post")->capture_default_str();
  app.add_option("--truncating", options.truncating, "pre | post")->capture_default_str();
  app.add_flag("--no-start-token", options.no_start_token, "do not prepend the start id");
  app.add_option("--embedding", options.embedding_dim, "embedding width")->capture_default_str();
  app.add_option("--units", options.units, "units per recurrent layer and direction")->capture_default_str();
  app.add_option("--layers", options.layers, "stacked recurrent layers")->capture_default_str();
  app.add_flag("--bidirectional", options.bidirectional, "bidirectional recurrent layers");
  app.add_flag("--mask-padding", options.mask_padding,
               "Keras mask_zero: padding steps leave the state unchanged (the model reads only the words)");
  app.add_option("--pooling", options.pooling,
                 "what the head reads: last (the final states) | mean | max (of the top layer's output over the words)")
      ->check(CLI::IsMember({"last", "mean", "max"}))->capture_default_str();
  app.add_option("--embedding-init", options.embedding_init,
                 "start the embedding from these word vectors (fastText's .vec text; scripts/pretrain-embeddings.sh)");
  app.add_option("--embedding-init-rms", options.embedding_init_rms,
                 "with --embedding-init: scale the vectors to this root mean square (0: as in the file)")
      ->capture_default_str();
  app.add_option("--write-corpus", options.write_corpus,
                 "write the training reviews' words (validation held out) here, one review a line, and stop");
  app.add_option("--teacher", options.teachers,
                 "a teacher model's probability for every training-split review (tools/evaluate --split train "
                 "--save-probabilities); repeatable. The training targets become the teachers' mean mixed with the "
                 "labels (--teacher-weight); validation keeps the labels");
  app.add_option("--teacher-weight", options.teacher_weight,
                 "with --teacher: the teachers' share of each training target, the label's being 1 minus it")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  app.add_option("--dropout", options.dropout, "dropout on the recurrent layers' inputs")->capture_default_str();
  app.add_option("--bucket", options.bucket,
                 "with --mask-padding: batch reviews of similar length, sorting pools of this many batches (0: off)")
      ->capture_default_str();
  app.add_option("--word-dropout", options.word_dropout, "replace each training word by the out-of-vocabulary id with this probability")->capture_default_str();
  app.add_option("--weight-decay", options.weight_decay, "decoupled (AdamW) weight decay of every non-bias weight")->capture_default_str();
  app.add_option("--ema", options.ema, "validate and keep an exponential moving average of the weights with this decay (0: off)")->capture_default_str();
  app.add_option("--lr", options.learning_rate, "Adam learning rate")->capture_default_str();
  app.add_option("--clip", options.clip, "clip the gradient's global norm to this (0: off)")->capture_default_str();
  app.add_option("--batch", options.batch_size, "mini-batch size")->capture_default_str();
  app.add_option("--epochs", options.epochs, "maximum number of epochs")->capture_default_str();
  app.add_option("--patience", options.patience, "stop after this many epochs without a better validation score (0: never)")->capture_default_str();
  app.add_option("--select", options.select, "the best epoch is the one with the highest validation accuracy | the lowest validation loss")
      ->check(CLI::IsMember({"accuracy", "loss"}))->capture_default_str();
  app.add_option("--validation", options.validation_fraction,
                 "stratified fraction of train held out (0: none, a refit: train on every training review for "
                 "exactly --epochs epochs and keep the last weights)")
      ->check(CLI::Range(0.0, 0.9))->capture_default_str();
  app.add_option("--validation-block", options.validation_block, "hold out whole blocks of this many consecutive review ids per label (a movie's reviews are consecutive; 0: single reviews)")->capture_default_str();
  app.add_option("--seed", options.seed, "seed for initialisation, shuffling and dropout, and (without --split-seed) the split")->capture_default_str();
  CLI::Option* split_seed = app.add_option(
      "--split-seed", options.split_seed,
      "seed for the validation split and the --limit subset only (default: --seed): seeds compared on the same reviews");
  app.add_option("--threads", options.threads, "worker threads")->capture_default_str();
  app.add_option("--dtype", options.dtype_name, "f32 | f16 | auto (f16 if test accuracy within 0.2 points of f32)")->capture_default_str();
  app.add_option("--limit", options.limit, "use only this many training reviews (smoke tests)");
  app.add_flag("--skip-test", options.skip_test, "do not evaluate on the test split");
  app.add_option("--checkpoint", options.checkpoint, "after every improvement, write the best weights so far here (F32, no provenance)");
  app.add_flag_callback(
      "--cpu-check",
      [] {
        std::printf("cpu check: requires %s, %s\n", train::cpu_requirement(),
                    train::cpu_checked() ? "checked before main" : "nothing to check");
        throw CLI::Success();
      },
      "print what this build requires of the processor and whether that was checked, then exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (split_seed->count() == 0) options.split_seed = options.seed;
  // A refit has nothing to select or stop on: its epoch count comes from a validated run.
  if (options.validation_fraction == 0.0 && options.patience > 0) {
    std::fprintf(stderr, "train: --patience needs a validation split; with --validation 0 give --epochs instead\n");
    return 2;
  }
  options.threads = std::max(1, options.threads);
  for (int i = 0; i < argc; ++i) options.command_line += (i ? " " : "") + std::string(argv[i]);
  return -1;
}

Result<ModelConfig> model_config(const Options& options) {
  ModelConfig config;
  {
    Result<CellType> cell = parse_cell_type(options.cell_name);
    Result<Side> pad = parse_side(options.padding), trunc = parse_side(options.truncating);
    Result<Pooling> pooling = parse_pooling(options.pooling);
    if (!cell || !pad || !trunc || !pooling) {
      return Error{(!cell ? cell.error() : !pad ? pad.error() : !trunc ? trunc.error() : pooling.error())};
    }
    config.cell = cell.value();
    config.pooling = pooling.value();
    config.sequence.padding = pad.value();
    config.sequence.truncating = trunc.value();
  }
  config.vocab_size = options.vocab_size;
  config.embedding_dim = options.embedding_dim;
  config.units = options.units;
  config.layers = options.layers;
  config.bidirectional = options.bidirectional;
  config.mask_padding = options.mask_padding;
  config.sequence.maxlen = options.maxlen;
  config.sequence.start_token = !options.no_start_token;
  if (Status s = config.validate(); !s || options.maxlen < 1) {
    return Error{(s ? "maxlen must be positive" : s.error())};
  }

  return config;
}

}  // namespace unroll::trainer
