import type { SearchMode } from '../src/types.ts';
import type { SearchContext } from '../src/search/context.ts';
import { search } from '../src/search/search.ts';
import { similar } from '../src/search/similar.ts';
import { averagePrecisionAt, csfcubeAveragePrecision, csfcubeNdcg20, mean, mrrAt, ndcgAt, recallAt, type Judgments } from './metrics.ts';
import type { BeirQuery } from './beir.ts';
import { CSFCUBE_FACETS, type CsfcubeQuery } from './csfcube.ts';

/** Ranked document ids for a query, best first. */
export type Ranker = (query: string) => Promise<string[]>;

/** Ranks of the BEIR metrics reported; 100 is also the depth of every ranking. */
export const DEPTH = 100;

export function searchRanker(ctx: SearchContext, mode: SearchMode): Ranker {
  return async (q) => (await search(ctx, { q, k: DEPTH, offset: 0, mode })).results.map((r) => r.id);
}

export interface BeirScores {
  'ndcg@10': number;
  'map@100': number;
  'recall@100': number;
  'mrr@10': number;
  queries: number;
}

/** Mean BEIR metrics over the queries that have judgments. */
export async function evaluateBeir(queries: BeirQuery[], qrels: Map<string, Judgments>, rank: Ranker): Promise<BeirScores> {
  const per: { ndcg: number; map: number; recall: number; mrr: number }[] = [];
  for (const q of queries) {
    const relevant = qrels.get(q.id);
    if (!relevant) continue;
    const ranking = await rank(q.text);
    per.push({
      ndcg: ndcgAt(10, ranking, relevant),
      map: averagePrecisionAt(DEPTH, ranking, relevant),
      recall: recallAt(DEPTH, ranking, relevant),
      mrr: mrrAt(10, ranking, relevant),
    });
  }
  return {
    'ndcg@10': mean(per.map((p) => p.ndcg)),
    'map@100': mean(per.map((p) => p.map)),
    'recall@100': mean(per.map((p) => p.recall)),
    'mrr@10': mean(per.map((p) => p.mrr)),
    queries: per.length,
  };
}

export interface CsfcubeScores {
  map: number;
  'ndcg%20': number;
  facets: Record<string, { map: number; 'ndcg%20': number; queries: number }>;
  queries: number;
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
  return { map: all.map, 'ndcg%20': all['ndcg%20'], facets, queries: all.queries };
}
