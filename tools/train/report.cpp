#include "report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/model_file.h"
#include "predict.h"
#include "text/tokenizer.h"
#include "train/metrics.h"
#include "train/optimizer.h"
#include "train/sha256.h"

namespace unroll::trainer {

Status write_model(const Options& options, const ModelConfig& config, const TrainingData& data,
                   const TrainedModel& trained, Clock::time_point total_start) {
  double test_f32 = -1, test_f16 = -1;
  DType dtype = options.dtype_name == "f16" ? DType::F16 : DType::F32;
  ModelWeights best_f16 = trained.best;
  train::round_to_f16(best_f16);
  if (!options.skip_test) {
    std::cerr << "evaluating on " << options.data_dir << "/test\n";
    Result<std::vector<train::Review>> test_reviews = train::read_split(options.data_dir, "test");
    if (!test_reviews) {
      return Error{test_reviews.error()};
    }
    std::vector<std::vector<int>> sequences;
    std::vector<float> test_labels;
    for (const train::Review& review : test_reviews.value()) {
      std::vector<int> ids = make_sequence(tokenize(review.text), data.vocabulary, config.sequence).ids;
      // A masked model reads the words only: the padding it would skip is not handed to it.
      if (config.mask_padding) ids.erase(std::remove(ids.begin(), ids.end(), int(Vocabulary::kPadding)), ids.end());
      sequences.push_back(std::move(ids));
      test_labels.push_back(static_cast<float>(review.label));
    }
    test_f32 = train::binary_metrics(
                   predict_with_model(config, trained.best, data.vocabulary, sequences, options.threads), test_labels)
                   .accuracy;
    test_f16 = train::binary_metrics(
                   predict_with_model(config, best_f16, data.vocabulary, sequences, options.threads), test_labels)
                   .accuracy;
    std::fprintf(stderr, "test accuracy: %.4f (f32), %.4f (f16)\n", test_f32, test_f16);
    if (options.dtype_name == "auto") dtype = std::abs(test_f16 - test_f32) <= 0.002 ? DType::F16 : DType::F32;
  } else if (options.dtype_name == "auto") {
    dtype = DType::F16;
  }
  const double test_accuracy = dtype == DType::F16 ? test_f16 : test_f32;

  // The archive's checksum, hashed here (no shell): "" when it cannot be read.
  Result<std::string> hashed = train::sha256_file(options.archive);
  const std::string archive_sha256 = hashed ? hashed.value() : "";
  nlohmann::json provenance = {
      {"trainer", "tools/train (Unroll, C++/Eigen)"},
      {"data", {{"archive", options.archive.substr(options.archive.find_last_of('/') + 1)}, {"sha256", archive_sha256}}},
      {"command_line", options.command_line},
      {"seed", options.seed},
      {"split_seed", options.split_seed},
      {"threads", options.threads},
      {"hyperparameters",
       {{"optimizer", "adam"}, {"learning_rate", options.learning_rate}, {"batch", options.batch_size},
        {"dropout", options.dropout}, {"word_dropout", options.word_dropout}, {"mask_padding", options.mask_padding}, {"pooling", options.pooling}, {"bucket", options.bucket}, {"weight_decay", options.weight_decay}, {"ema", options.ema},
        // The embedding's start: Keras' random one, or word vectors (their file's name, and the scale).
        {"embedding_init", options.embedding_init.substr(options.embedding_init.find_last_of('/') + 1)},
        {"embedding_init_rms", options.embedding_init_rms},
        {"clip_global_norm", options.clip}, {"validation_fraction", options.validation_fraction},
        {"validation_block", options.validation_block}, {"select", options.select},
        {"max_epochs", options.epochs}, {"patience", options.patience}}},
      {"train_reviews", data.train.count()},
      {"validation_reviews", data.validation.count()},
      {"epochs", trained.epochs_run},
      {"best_epoch", trained.best_epoch},
      {"validation_accuracy", trained.best_accuracy},
      {"validation_loss", trained.best_loss},
      {"test_split", "test"},
      {"test_accuracy", test_accuracy},
      {"test_accuracy_f32", test_f32},
      {"test_accuracy_f16", test_f16},
      {"dtype", to_string(dtype)},
      {"training_seconds", std::round(trained.train_seconds * 10) / 10},
      {"total_seconds", std::round(seconds_since(total_start) * 10) / 10},
      {"history", trained.history}};
  // Distillation: which probability files the training targets came from, and their share.
  if (!options.teachers.empty()) {
    nlohmann::json teachers = nlohmann::json::array();
    for (const std::string& file : options.teachers) teachers.push_back(file.substr(file.find_last_of('/') + 1));
    provenance["hyperparameters"]["teachers"] = teachers;
    provenance["hyperparameters"]["teacher_weight"] = options.teacher_weight;
  }
  // A refit (--validation 0) was validated by the run that chose its recipe, not by itself.
  if (data.validation.count() == 0) {
    provenance.erase("validation_accuracy");
    provenance.erase("validation_loss");
  }
  ModelFile file{config, dtype == DType::F16 ? best_f16 : trained.best, data.vocabulary, provenance.dump()};
  if (Status s = write_model_file(options.output, file, dtype); !s) {
    return s;
  }
  if (data.validation.count() > 0)
    std::fprintf(stderr, "wrote %s (%s, best epoch %d, val_acc %.4f, test_acc %.4f, %.0f s training)\n",
                 options.output.c_str(), to_string(dtype), trained.best_epoch, trained.best_accuracy, test_accuracy, trained.train_seconds);
  else
    std::fprintf(stderr, "wrote %s (%s, a refit: last epoch %d, test_acc %.4f, %.0f s training)\n",
                 options.output.c_str(), to_string(dtype), trained.best_epoch, test_accuracy, trained.train_seconds);
  return Status::success();
}

}  // namespace unroll::trainer
