import type { KeywordIndex, WeightedTerms } from './keyword-index.ts';

/** How many distinctive terms stand for a paper in a "more like this" query. */
const MLT_TERMS = 25;

/**
 * A keyword query made of a paper's most distinctive terms (tf·idf), weighted
 * so that the strongest term counts 1. Terms found in no other paper cannot
 * retrieve anything else and are left out.
 */
export function moreLikeThis(keyword: KeywordIndex, docs: number[], weight = 1, into: WeightedTerms = new Map()): WeightedTerms {
  const scored = new Map<string, number>();
  for (const doc of docs) {
    for (const [term, tf] of keyword.termCounts(doc)) {
      if (keyword.docFreq(term) < 2) continue;
      scored.set(term, (scored.get(term) ?? 0) + Math.log(1 + tf) * keyword.idf(term));
    }
  }
  const top = [...scored].sort((a, b) => b[1] - a[1]).slice(0, MLT_TERMS);
  const max = top[0]?.[1] ?? 1;
  for (const [term, s] of top) into.set(term, (into.get(term) ?? 0) + (weight * s) / max);
  return into;
}
