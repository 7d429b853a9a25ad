declare module 'wave-resampler' {
  const waveResampler: { resample(samples: ArrayLike<number>, oldRate: number, newRate: number, opts?: { method?: string; LPF?: boolean }): ArrayLike<number> };
  export default waveResampler;
}
