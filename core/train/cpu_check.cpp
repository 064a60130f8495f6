// A binary built from a core compiled with -mavx2 -mfma (tools/train, see tools/CMakeLists.txt)
// must not run on a processor without them: it would die of an illegal instruction somewhere deep
// in Eigen. This constructor runs before main() and the other static initialisers and says why
// instead. In the portable core (and under Emscripten) it compiles to nothing.
#if defined(__AVX2__) && defined(__FMA__) && (defined(__GNUC__) || defined(__clang__)) && \
    (defined(__x86_64__) || defined(__i386__))
#include <cstdio>
#include <cstdlib>

namespace {
__attribute__((constructor(101))) void require_avx2_fma() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return;
  std::fputs(
      "This program was built with -mavx2 -mfma but the processor lacks AVX2/FMA.\n"
      "Reconfigure with -DUNROLL_TRAIN_AVX2=OFF to build the portable version.\n",
      stderr);
  std::_Exit(70);
}
}  // namespace
#endif
