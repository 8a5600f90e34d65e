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
  method: 'rrf' | 'minmax' | 'zscore';
  /** RRF's rank constant. */
  k: number;
  /** Weight of the semantic list; the keyword list gets 1 - semanticWeight (less the z-score fusion's passage weights). */
  semanticWeight: number;
  /** z-score fusion only: weight of the share of the query's rare terms a paper holds. */
  coverageWeight: number;
  /** z-score fusion only: weight of the best-matching sentence's score. */
  sentenceWeight: number;
}

/**
 * Search fuses four signals per candidate, each standardized over the
 * candidates (z-scores): BM25, the vector's cosine, query-term coverage and the
 * best sentence. On SciFact dev this scored 0.72 nDCG@10 where min-max fusion
 * of BM25 and cosine scored 0.708 and BM25 alone 0.698 (weights fitted by
 * coordinate ascent and checked by 5-fold cross-validation; docs/evaluation.md).
 */
export const DEFAULT_FUSION: FusionParams = { method: 'zscore', k: 60, semanticWeight: 0.4, coverageWeight: 0.1, sentenceWeight: 0.15 };

/**
 * Paper-to-paper similarity leans further on words: its keyword side is a long
 * "more like this" query with feedback, strong on its own. On CSFCube dev
 * (USE-lite) a semantic weight of 0.2 scored MAP 0.4081, below keyword alone
 * (0.4097); 0.1 scored 0.4107. See docs/evaluation.md.
 */
export const DEFAULT_SIMILAR_FUSION: FusionParams = { method: 'minmax', k: 60, semanticWeight: 0.1, coverageWeight: 0, sentenceWeight: 0 };

function minMax(list: Ranked[]): Map<number, number> {
  const out = new Map<number, number>();
  if (!list.length) return out;
  const max = list[0].score;
  const min = list[list.length - 1].score;
  for (const r of list) out.set(r.label, max > min ? (r.score - min) / (max - min) : 1);
  return out;
}

/** Fuses a keyword and a semantic ranking (both sorted best first). */
export function fuse(keyword: Ranked[], semantic: Ranked[], params: FusionParams): Ranked[] {
  if (params.method === 'zscore') throw new Error('z-score fusion needs per-candidate signals: use fuseSignals');
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

/** Per-candidate signals for z-score fusion, aligned with the candidate labels. */
export interface Signals {
  keyword: Float64Array;
  semantic: Float64Array;
  coverage: Float64Array;
  sentence: Float64Array;
}

function standardize(values: Float64Array): Float64Array {
  let sum = 0;
  let squares = 0;
  for (const v of values) {
    sum += v;
    squares += v * v;
  }
  const mean = sum / values.length;
  const sd = Math.sqrt(Math.max(0, squares / values.length - mean * mean));
  return values.map((v) => (sd > 1e-12 ? (v - mean) / sd : 0));
}

/**
 * Weighted sum of standardized signals. z-scores keep how far a candidate
 * stands out on each signal without letting the list ends set the scale, as
 * min-max does.
 */
export function fuseSignals(labels: number[], signals: Signals, params: FusionParams): Ranked[] {
  const weights: [Float64Array, number][] = [
    [signals.keyword, 1 - params.semanticWeight - params.coverageWeight - params.sentenceWeight],
    [signals.semantic, params.semanticWeight],
    [signals.coverage, params.coverageWeight],
    [signals.sentence, params.sentenceWeight],
  ];
  const scores = new Float64Array(labels.length);
  for (const [values, weight] of weights) {
    if (weight === 0) continue;
    standardize(values).forEach((z, i) => (scores[i] += weight * z));
  }
  return labels.map((label, i) => ({ label, score: scores[i] })).sort((a, b) => b.score - a.score || a.label - b.label);
}
