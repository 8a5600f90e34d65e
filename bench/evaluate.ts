import type { SearchMode } from '../src/types.ts';
import type { SearchContext } from '../src/search/context.ts';
import { search } from '../src/search/search.ts';
import type { Match } from '../src/search/confidence.ts';
import { similar } from '../src/search/similar.ts';
import { averagePrecisionAt, csfcubeAveragePrecision, csfcubeNdcg20, mean, mrrAt, ndcgAt, recallAt, type Judgments } from './metrics.ts';
import type { BeirQuery } from './beir.ts';
import { CSFCUBE_FACETS, type CsfcubeQuery } from './csfcube.ts';

/** Ranked document ids for a query, best first, and the answer's own confidence. */
export type Ranker = (query: string) => Promise<{ ids: string[]; match: Match }>;

/** Ranks of the BEIR metrics reported; 100 is also the depth of every ranking. */
export const DEPTH = 100;

export function searchRanker(ctx: SearchContext, mode: SearchMode): Ranker {
  return async (q) => {
    const answer = await search(ctx, { q, k: DEPTH, offset: 0, mode });
    return { ids: answer.results.map((r) => r.id), match: answer.match };
  };
}

export interface BeirMetrics {
  'ndcg@10': number;
  'map@100': number;
  'recall@100': number;
  'mrr@10': number;
}

export interface BeirScores extends Partial<BeirMetrics> {
  /** Share of the queries whose answer the service flags as not a strong match. */
  weak_rate: number;
  queries: number;
}

/**
 * Mean BEIR metrics over the queries that have judgments, and the weak-answer
 * rate; without judgments (out-of-domain queries) every query counts and only
 * the weak-answer rate is reported.
 */
export async function evaluateBeir(queries: BeirQuery[], qrels: Map<string, Judgments> | null, rank: Ranker): Promise<BeirScores> {
  const per: { ndcg: number; map: number; recall: number; mrr: number }[] = [];
  let weak = 0;
  let asked = 0;
  for (const q of queries) {
    const relevant = qrels?.get(q.id);
    if (qrels && !relevant) continue;
    const { ids: ranking, match } = await rank(q.text);
    asked++;
    if (match !== 'strong') weak++;
    if (!relevant) continue;
    per.push({
      ndcg: ndcgAt(10, ranking, relevant),
      map: averagePrecisionAt(DEPTH, ranking, relevant),
      recall: recallAt(DEPTH, ranking, relevant),
      mrr: mrrAt(10, ranking, relevant),
    });
  }
  const metrics = qrels && {
    'ndcg@10': mean(per.map((p) => p.ndcg)),
    'map@100': mean(per.map((p) => p.map)),
    'recall@100': mean(per.map((p) => p.recall)),
    'mrr@10': mean(per.map((p) => p.mrr)),
  };
  return { ...metrics, weak_rate: asked ? weak / asked : 0, queries: asked };
}

export interface CsfcubeScores {
  map: number;
  'ndcg%20': number;
  facets: Record<string, { map: number; 'ndcg%20': number; queries: number }>;
  queries: number;
  /** Each query's average precision, in query order (for cross-validation). */
  perQuery: number[];
}

/** For each query paper, its judged pool ranked by the similar-papers code. */
export async function evaluateCsfcube(ctx: SearchContext, queries: CsfcubeQuery[], qrels: Map<string, Judgments>, mode: SearchMode): Promise<CsfcubeScores> {
  const per: { facet: string; map: number; ndcg: number }[] = [];
  for (const q of queries) {
    const pool = qrels.get(q.id);
    if (!pool) continue;
    const labels = new Set([...pool.keys()].map((id) => ctx.index.labelOf.get(id)).filter((l) => l !== undefined));
    const { results } = await similar(ctx, { positive: [q.paperId], negative: [], k: pool.size, mode, filter: (l) => labels.has(l) });
    const ranking = results.map((r) => r.id);
    per.push({ facet: q.facet, map: csfcubeAveragePrecision(ranking, pool), ndcg: csfcubeNdcg20(ranking, pool) });
  }
  const summarize = (rows: typeof per) => ({ map: mean(rows.map((r) => r.map)), 'ndcg%20': mean(rows.map((r) => r.ndcg)), queries: rows.length });
  const facets = Object.fromEntries(CSFCUBE_FACETS.map((f) => [f, summarize(per.filter((r) => r.facet === f))]));
  const all = summarize(per);
  return { map: all.map, 'ndcg%20': all['ndcg%20'], facets, queries: all.queries, perQuery: per.map((r) => r.map) };
}
