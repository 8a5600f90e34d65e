/**
 * Fusion of ranked lists. Reciprocal rank fusion needs no score calibration,
 * so it is the default; min-max score fusion is offered for comparison.
 */
export interface Ranked {
  label: number;
  score: number;
}

export interface FusionParams {
  method: 'rrf' | 'minmax';
  /** RRF's rank constant. */
  k: number;
  /** Weight of the semantic list; the keyword list gets 1 - semanticWeight. */
  semanticWeight: number;
}

export const DEFAULT_FUSION: FusionParams = { method: 'rrf', k: 60, semanticWeight: 0.25 };

function minMax(list: Ranked[]): Map<number, number> {
  const out = new Map<number, number>();
  if (!list.length) return out;
  const max = list[0].score;
  const min = list[list.length - 1].score;
  for (const r of list) out.set(r.label, max > min ? (r.score - min) / (max - min) : 1);
  return out;
}

/** Fuses a keyword and a semantic ranking (both sorted best first). */
export function fuse(keyword: Ranked[], semantic: Ranked[], params: FusionParams = DEFAULT_FUSION): Ranked[] {
  const scores = new Map<number, number>();
  const add = (label: number, s: number) => scores.set(label, (scores.get(label) ?? 0) + s);
  const weights: [Ranked[], number][] = [
    [keyword, 1 - params.semanticWeight],
    [semantic, params.semanticWeight],
  ];
  for (const [list, weight] of weights) {
    if (weight === 0) continue;
    if (params.method === 'rrf') list.forEach((r, rank) => add(r.label, weight / (params.k + rank + 1)));
    else for (const [label, s] of minMax(list)) add(label, weight * s);
  }
  return [...scores].map(([label, score]) => ({ label, score })).sort((a, b) => b.score - a.score || a.label - b.label);
}
