#pragma once
// Reading a file in chunks, for the training tools (the data set's reviews, the archive's checksum).

#include <cstddef>
#include <cstdio>
#include <string>

#include "util/result.h"

namespace unroll::train {

/** Calls chunk(data, size) for successive pieces of the file; an Error names the file. */
template <class F>
Status for_each_chunk(const std::string& path, F chunk) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return Error{path + ": cannot open"};
  char buffer[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) chunk(buffer, got);
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return Error{path + ": read error"};
  return Status::success();
}

}  // namespace unroll::train
