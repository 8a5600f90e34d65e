import { XSadd } from 'ml-xsadd';

/** `size` distinct indices below n, drawn with a seeded shuffle and returned in order (all of them when n ≤ size). */
export function sampleIndices(n: number, size: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= size) return all;
  const rng = new XSadd(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, size).sort((a, b) => a - b);
}
