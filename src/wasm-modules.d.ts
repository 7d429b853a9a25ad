// The Echogarden WASM packages ship no type declarations; both export an Emscripten factory.
declare module '@echogarden/fvad-wasm' {
  const factory: () => Promise<unknown>;
  export default factory;
}
declare module '@echogarden/speex-resampler-wasm/simd' {
  const factory: () => Promise<unknown>;
  export default factory;
}
declare module '@echogarden/espeak-ng-emscripten' {
  const factory: () => Promise<unknown>;
  export default factory;
}
declare module '@echogarden/rnnoise-wasm' {
  const factory: () => Promise<unknown>;
  export default factory;
}
