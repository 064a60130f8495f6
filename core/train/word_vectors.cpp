#include "word_vectors.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

namespace unroll::train {

Result<int> load_word_vectors(const std::string& path, const Vocabulary& vocabulary, Matrix& embedding,
                              float rms) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot open the word vectors " + path};
  const auto at = [&](long long line, const std::string& what) {
    return Error{path + ":" + std::to_string(line) + ": " + what};
  };
  std::string line;
  long long count = 0, width = 0;
  if (!std::getline(in, line) || !(std::istringstream(line) >> count >> width) || count < 0 || width < 1) {
    return at(1, "expected the header \"count width\"");
  }
  if (width != embedding.cols()) {
    return at(1, "the vectors are " + std::to_string(width) + " wide, the embedding " +
                     std::to_string(embedding.cols()));
  }

  std::vector<int> rows;  // the embedding rows set, in file order
  RowVector values(width);
  for (long long number = 2; std::getline(in, line); ++number) {
    if (line.empty() || line == "\r") continue;
    std::istringstream fields(line);
    std::string word;
    fields >> word;
    for (long long i = 0; i < width; ++i) {
      if (!(fields >> values[i]) || !std::isfinite(values[i])) {
        return at(number, "expected " + std::to_string(width) + " numbers after \"" + word + "\"");
      }
    }
    const int id = vocabulary.id(word);
    // Out-of-vocabulary words and fastText's "</s>" have no row; reserved ids are never overwritten.
    if (id < Vocabulary::kFirstWord) continue;
    embedding.row(id) = values;
    rows.push_back(id);
  }
  if (in.bad()) return Error{"could not read the word vectors " + path};

  if (rms > 0.0f && !rows.empty()) {
    double squares = 0;
    for (const int id : rows) squares += embedding.row(id).squaredNorm();
    const double current = std::sqrt(squares / (static_cast<double>(rows.size()) * width));
    if (current > 0) {
      const float scale = static_cast<float>(rms / current);
      for (const int id : rows) embedding.row(id) *= scale;
    }
  }
  return static_cast<int>(rows.size());
}

}  // namespace unroll::train
