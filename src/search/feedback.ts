import type { KeywordIndex, WeightedTerms } from './keyword-index.ts';

/**
 * Pseudo-relevance feedback (RM3): the top keyword hits are taken as relevant
 * and the query is expanded with the terms they share. It pays for
 * paper-to-paper similarity, whose query is a whole abstract with room for
 * vocabulary the neighbours add (CSFCube keyword MAP 0.394 → 0.410), and not
 * for short searches, where the expansion drifts off the claim
 * (SciFact nDCG@10 0.698 → 0.647–0.697 over the settings tried; docs/evaluation.md).
 */
export interface FeedbackParams {
  /** Top hits read as relevant. */
  docs: number;
  /** Expansion terms kept. */
  terms: number;
  /** Share of the original query in the expanded one. */
  originalWeight: number;
}

/** The middle of the CSFCube plateau (MAP 0.409–0.411 for 10 docs, 30–100 terms, weight 0.5–0.8). */
export const SIMILAR_FEEDBACK: FeedbackParams = { docs: 10, terms: 50, originalWeight: 0.7 };

function normalized(m: WeightedTerms): WeightedTerms {
  let sum = 0;
  for (const v of m.values()) sum += v;
  return sum > 0 ? new Map([...m].map(([t, v]) => [t, v / sum])) : m;
}

/** RM3: P(w|R) = Σ_d P(w|d)·P(d|q), with P(d|q) from the hits' share of their summed BM25 scores. */
export function expandQuery(keyword: KeywordIndex, query: WeightedTerms, hits: { doc: number; score: number }[], params: FeedbackParams): WeightedTerms {
  const top = hits.slice(0, params.docs);
  const total = top.reduce((s, h) => s + h.score, 0);
  if (!top.length || total <= 0) return query;
  const model = new Map<string, number>();
  for (const { doc, score } of top) {
    const counts = keyword.termCounts(doc);
    let length = 0;
    for (const tf of counts.values()) length += tf;
    for (const [term, tf] of counts) {
      // A term no other paper has cannot bring in anything new.
      if (keyword.docFreq(term) < 2) continue;
      model.set(term, (model.get(term) ?? 0) + (tf / length) * (score / total));
    }
  }
  const feedback = normalized(new Map([...model].sort((a, b) => b[1] - a[1]).slice(0, params.terms)));
  const out: WeightedTerms = new Map();
  for (const [t, w] of normalized(query)) out.set(t, params.originalWeight * w);
  for (const [t, w] of feedback) out.set(t, (out.get(t) ?? 0) + (1 - params.originalWeight) * w);
  return out;
}
