#pragma once
// tools/train's progress line and durations.

#include <chrono>
#include <string>

namespace unroll::trainer {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start);
/** "m:ss", or "XhYYm" from an hour on. */
std::string format_duration(double seconds);

/** One line of progress per epoch: a bar redrawn in place on a terminal, every 10% otherwise. */
class Progress {
 public:
  Progress(int epoch, int epochs, int total);
  void update(int done, double loss, double accuracy);
  void finish();

 private:
  int epoch_, epochs_, total_;
  bool tty_;
  Clock::time_point start_;
  int next_percent_ = 0;
};

}  // namespace unroll::trainer
