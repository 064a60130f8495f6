#pragma once
// A probability file: one model's probability for every review of a split, one per line, in
// train::read_split's order. tools/evaluate writes it (--save-probabilities) and compares against
// it (--compare-probabilities); tools/train reads it as a teacher (--teacher). One reader, so a
// file one tool accepts the other accepts too.

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "util/result.h"

namespace unroll::tools {

/** Writes one probability per line, with enough digits (%.9g) to read back the same float. */
inline bool write_probability_file(const std::string& path, const std::vector<float>& probabilities) {
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (!out) return false;
  for (float p : probabilities) std::fprintf(out, "%.9g\n", static_cast<double>(p));
  return std::fclose(out) == 0;
}

/**
 * Every line's probability, as the decimal written (a double: a teacher's mean is taken before any
 * rounding to float, so a recipe's targets do not depend on the reader). Says which line is wrong
 * when one is not a probability in [0, 1].
 */
inline Result<std::vector<double>> read_probability_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{"cannot read " + path};
  std::vector<double> probabilities;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    std::istringstream text(line);
    double p = 0.0;
    std::string rest;
    // A probability and nothing else: anything else is a file of another kind or a cut-off one.
    if (!(text >> p) || (text >> rest) || !std::isfinite(p) || p < 0.0 || p > 1.0) {
      return Error{path + " line " + std::to_string(probabilities.size() + 1) + " is \"" + line +
                   "\", not a probability in [0, 1]"};
    }
    probabilities.push_back(p);
  }
  return probabilities;
}

}  // namespace unroll::tools
