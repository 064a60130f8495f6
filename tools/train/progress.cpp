#include "progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace unroll::trainer {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string format_duration(double seconds) {
  char text[32];
  const int s = static_cast<int>(std::lround(seconds));
  if (s >= 3600) std::snprintf(text, sizeof text, "%dh%02dm", s / 3600, s / 60 % 60);
  else std::snprintf(text, sizeof text, "%d:%02d", s / 60, s % 60);
  return text;
}

Progress::Progress(int epoch, int epochs, int total)
    : epoch_(epoch), epochs_(epochs), total_(total), tty_(isatty(2)), start_(Clock::now()) {}

void Progress::update(int done, double loss, double accuracy) {
  const double elapsed = seconds_since(start_);
  const double rate = elapsed > 0 ? done / elapsed : 0;
  const double eta = rate > 0 ? (total_ - done) / rate : 0;
  const int percent = total_ ? 100 * done / total_ : 100;
  if (!tty_ && percent < next_percent_ && done < total_) return;
  next_percent_ = percent / 10 * 10 + 10;
  constexpr int kWidth = 30;
  const int filled = total_ ? kWidth * done / total_ : kWidth;
  std::string bar(filled, '=');
  if (filled < kWidth) bar += '>' + std::string(kWidth - filled - 1, ' ');
  std::fprintf(stderr, "%sepoch %d/%d [%s] %3d%% %d/%d  %.0f reviews/s  ETA %s  loss %.4f  acc %.4f%s",
               tty_ ? "\r" : "", epoch_, epochs_, bar.c_str(), percent, done, total_, rate,
               format_duration(eta).c_str(), loss, accuracy, tty_ ? "" : "\n");
  std::fflush(stderr);
}

void Progress::finish() {
  if (tty_) std::fprintf(stderr, "\n");
}

}  // namespace unroll::trainer
