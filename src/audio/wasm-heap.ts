/** Minimal view of an Emscripten module: its heaps and allocator. */
export interface EmscriptenModule {
  HEAP16: Int16Array;
  HEAP32: Int32Array;
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
}
