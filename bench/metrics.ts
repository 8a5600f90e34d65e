/**
 * Ranking metrics, as pure functions of one query's ranking (document ids,
 * best first) and its judgments (id → graded relevance; 0 or absent means not
 * relevant). Definitions follow the evaluation tools the published figures come
 * from: pytrec_eval for BEIR (linear gain, log2(rank + 1) discount) and the
 * CSFCube scripts for MAP and NDCG%20.
 */
export type Judgments = Map<string, number>;

function relevantCount(relevant: Judgments, minGrade: number): number {
  let n = 0;
  for (const grade of relevant.values()) if (grade >= minGrade) n++;
  return n;
}

/** nDCG@k with gain = grade and discount log2(rank + 1); the ideal ranks every judged document. */
export function ndcgAt(k: number, ranking: string[], relevant: Judgments): number {
  let dcg = 0;
  ranking.slice(0, k).forEach((id, i) => (dcg += (relevant.get(id) ?? 0) / Math.log2(i + 2)));
  const ideal = [...relevant.values()].filter((g) => g > 0).sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
  return idcg > 0 ? dcg / idcg : 0;
}

/**
 * Average precision over the first k ranks: the mean, over all relevant
 * documents (grade ≥ minGrade), of the precision at each one's rank; relevant
 * documents ranked below k (or not at all) contribute 0.
 */
export function averagePrecisionAt(k: number, ranking: string[], relevant: Judgments, minGrade = 1): number {
  const total = relevantCount(relevant, minGrade);
  if (total === 0) return 0;
  let hits = 0;
  let sum = 0;
  ranking.slice(0, k).forEach((id, i) => {
    if ((relevant.get(id) ?? 0) >= minGrade) sum += ++hits / (i + 1);
  });
  return sum / total;
}

export function recallAt(k: number, ranking: string[], relevant: Judgments): number {
  const total = relevantCount(relevant, 1);
  if (total === 0) return 0;
  return ranking.slice(0, k).filter((id) => (relevant.get(id) ?? 0) > 0).length / total;
}

/** Reciprocal rank of the first relevant document within the first k, else 0. */
export function mrrAt(k: number, ranking: string[], relevant: Judgments): number {
  const i = ranking.slice(0, k).findIndex((id) => (relevant.get(id) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

/** CSFCube's relevance threshold: grades 2 and 3 count as relevant for MAP. */
export const CSFCUBE_MIN_GRADE = 2;

/** CSFCube AP: the whole ranked pool, relevant meaning grade ≥ 2. */
export function csfcubeAveragePrecision(ranking: string[], judged: Judgments): number {
  return averagePrecisionAt(ranking.length, ranking, judged, CSFCUBE_MIN_GRADE);
}

/**
 * CSFCube NDCG%20: `judged` is the query's whole pool (grade 0 included), the
 * cutoff is 20% of its size, and the discount is the original Järvelin–Kekäläinen
 * one, rank 1 undiscounted then 1 / log2(rank).
 */
export function csfcubeNdcg20(ranking: string[], judged: Judgments): number {
  const k = Math.floor(0.2 * judged.size);
  const dcg = (grades: number[]) => grades.slice(0, k).reduce((sum, g, i) => sum + (i === 0 ? g : g / Math.log2(i + 1)), 0);
  const ideal = dcg([...judged.values()].sort((a, b) => b - a));
  return ideal > 0 ? dcg(ranking.map((id) => judged.get(id) ?? 0)) / ideal : 0;
}

export function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
