#pragma once
// The trainer is built from AVX2 copies of the libraries (tools/CMakeLists.txt); cpu_check.cpp
// refuses, before main(), to run it on a processor without AVX2 and FMA.

namespace unroll::train {

/**
 * "avx2+fma" in a build compiled with -mavx2 -mfma, "none" in a portable one. A program that
 * calls this links cpu_check.cpp, and with it the check, which a static library would otherwise
 * drop (nothing else refers to that file).
 */
const char* cpu_requirement();

/** True once the check has run, before main(), and found what the build requires. */
bool cpu_checked();

}  // namespace unroll::train
