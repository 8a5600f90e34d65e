/**
 * Fusion of ranked lists: min-max score fusion by default, reciprocal rank
 * fusion for comparison. RRF gives the weak semantic list's top ranks as much
 * say as keyword search's, whose close scores it flattens; min-max keeps how
 * far ahead a keyword hit is (SciFact, USE-lite: RRF 0.25 → 0.605 nDCG@10,
 * min-max 0.2 → 0.708, keyword alone 0.698; docs/evaluation.md).
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

export const DEFAULT_FUSION: FusionParams = { method: 'minmax', k: 60, semanticWeight: 0.2 };

/**
 * Paper-to-paper similarity leans further on words: its keyword side is a long
 * "more like this" query with feedback, strong on its own. On CSFCube dev
 * (USE-lite) a semantic weight of 0.2 scored MAP 0.4081, below keyword alone
 * (0.4097); 0.1 scored 0.4107. See docs/evaluation.md.
 */
export const DEFAULT_SIMILAR_FUSION: FusionParams = { ...DEFAULT_FUSION, semanticWeight: 0.1 };

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
