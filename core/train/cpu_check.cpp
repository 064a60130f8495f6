// A binary built from a core compiled with -mavx2 -mfma (tools/train, see tools/CMakeLists.txt)
// must not run on a processor without them: it would die of an illegal instruction somewhere deep
// in Eigen. The constructor below runs before main() and the other static initialisers and says
// why instead. In the portable core (and under Emscripten) there is nothing to check.
#include "train/cpu_check.h"

#if defined(__AVX2__) && defined(__FMA__) && (defined(__GNUC__) || defined(__clang__)) && \
    (defined(__x86_64__) || defined(__i386__))
#define UNROLL_CPU_CHECK 1
#include <cstdio>
#include <cstdlib>
#endif

namespace unroll::train {

namespace {
bool checked = false;
}  // namespace

#if defined(UNROLL_CPU_CHECK)
namespace {
__attribute__((constructor(101))) void require_avx2_fma() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    checked = true;
    return;
  }
  std::fputs(
      "This program was built with -mavx2 -mfma but the processor lacks AVX2/FMA.\n"
      "Reconfigure with -DUNROLL_TRAIN_AVX2=OFF to build the portable version.\n",
      stderr);
  std::_Exit(70);
}
}  // namespace

const char* cpu_requirement() { return "avx2+fma"; }
#else
const char* cpu_requirement() { return "none"; }
#endif

bool cpu_checked() { return checked; }

}  // namespace unroll::train
