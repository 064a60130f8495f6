// Feature detection without a dependency: does this engine accept WebAssembly at all, and does it
// validate a module that uses a 128-bit SIMD instruction? (The same probe as the
// wasm-feature-detect package: a function returning i8x16.popcnt(i8x16.splat(0)).)

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt))
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, //       type section: () -> v128
  0x03, 0x02, 0x01, 0x00, //                         function section: one function of type 0
  0x0a, 0x0a, 0x01, 0x08, 0x00, //                   code section: one body, 8 bytes, no locals
  0x41, 0x00, //                                     i32.const 0
  0xfd, 0x0f, //                                     i8x16.splat
  0xfd, 0x62, //                                     i8x16.popcnt
  0x0b, //                                           end
]);

/** Whether WebAssembly itself is there (a page may run in an engine with it switched off). */
export function hasWebAssembly() {
  return typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function' &&
    typeof WebAssembly.instantiate === 'function';
}

/** Synchronous: whether this engine validates a tiny v128 module. */
export function detectSimdSync() {
  if (!hasWebAssembly()) return false;
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** docs/js-api.md `detectSimd() → Promise<boolean>`. */
export async function detectSimd() {
  return detectSimdSync();
}
