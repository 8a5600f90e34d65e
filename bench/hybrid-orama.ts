/**
 * Paperscope's hybrid search beside Orama's hybrid mode on SciFact: the same
 * corpus, the same USE-lite document and query vectors, nDCG@10 and latency
 * side by side. Query vectors are computed up front, so latencies are the
 * engines' own work, without the (shared) query embedding.
 */
import os from 'node:os';
import path from 'node:path';
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import { loadConfig } from '../src/config.ts';
import { search } from '../src/search/search.ts';
import { mean, ndcgAt, type Judgments } from './metrics.ts';
import { loadQrels, loadQueries } from './beir.ts';
import { buildEvalIndex } from './eval-index.ts';
import { allPapers } from '../src/store/paper-store.ts';
import type { BenchArgs } from './run.ts';
import { percentiles, round, timeIt } from './stats.ts';
import { SCIFACT_DIR } from './query-texts.ts';

const K = 10;

interface JudgedQuery {
  text: string;
  relevant: Judgments;
}

async function evaluate(queries: JudgedQuery[], rank: (i: number) => Promise<string[]>): Promise<Record<string, number>> {
  await rank(0); // warm-up
  const ms: number[] = [];
  const ndcg: number[] = [];
  for (let i = 0; i < queries.length; i++) {
    const { value, ms: t } = await timeIt(() => rank(i));
    ms.push(t);
    ndcg.push(ndcgAt(K, value, queries[i].relevant));
  }
  const { p50, p99 } = percentiles(ms);
  return { 'ndcg@10': round(mean(ndcg), 4), p50_ms: round(p50), p99_ms: round(p99) };
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  // The evaluation's in-memory index: same reader, ANN and BM25 as the service, and its embedding cache.
  const evalIndex = await buildEvalIndex({ corpus: path.join(SCIFACT_DIR, 'corpus.jsonl.gz'), model: loadConfig().model, workers: 2, log: console.error });
  const { ctx } = evalIndex;
  const { index } = ctx;
  const qrels = await loadQrels(path.join(SCIFACT_DIR, 'qrels', 'train.tsv'));
  const queries: JudgedQuery[] = (await loadQueries(path.join(SCIFACT_DIR, 'queries.jsonl')))
    .filter((q) => qrels.has(q.id))
    .slice(0, Number(args.queries ?? Infinity))
    .map((q) => ({ text: q.text, relevant: qrels.get(q.id)! }));
  await evalIndex.warmQueries(queries.map((q) => q.text));
  const vectors = await Promise.all(queries.map((q) => ctx.embedQuery(q.text)));
  console.error(`hybrid-orama: ${index.papers.size} SciFact documents, ${queries.length} judged queries`);

  const paperscope = await evaluate(queries, async (i) => (await search(ctx, { q: queries[i].text, k: K, offset: 0, mode: 'hybrid' })).results.map((r) => r.id));
  // Semantic and keyword alone, to show what fusion adds.
  const semantic = await evaluate(queries, async (i) => (await search(ctx, { q: queries[i].text, k: K, offset: 0, mode: 'semantic' })).results.map((r) => r.id));
  const keyword = await evaluate(queries, async (i) => (await search(ctx, { q: queries[i].text, k: K, offset: 0, mode: 'keyword' })).results.map((r) => r.id));

  const db = create({ schema: { title: 'string', abstract: 'string', embedding: `vector[${index.manifest.dimension}]` } as const });
  const { ms: oramaBuildMs } = await timeIt(() =>
    insertMultiple(
      db,
      allPapers(index.papers).map((p, label) => ({ id: p.id, title: p.title, abstract: p.abstract, embedding: Array.from(index.vector(label)) })),
      500,
    ),
  );
  const orama = await evaluate(queries, async (i) => {
    const res = await oramaSearch(db, {
      mode: 'hybrid',
      term: queries[i].text,
      properties: ['title', 'abstract'],
      vector: { value: Array.from(vectors[i]), property: 'embedding' },
      similarity: 0,
      limit: K,
    });
    return res.hits.map((h) => h.id);
  });

  return {
    corpus: 'scifact',
    documents: index.papers.size,
    queries: queries.length,
    qrels: 'qrels/train.tsv (queries with judgments)',
    model: evalIndex.model,
    paperscope: { ...paperscope, method: `hybrid: BM25 + hnswlib, ${ctx.fusion.method} fusion (k=${ctx.fusion.k}, semantic weight ${ctx.fusion.semanticWeight})` },
    paperscope_semantic: semantic,
    paperscope_keyword: keyword,
    orama: { ...orama, build_s: round(oramaBuildMs / 1000, 2), method: 'Orama 3 hybrid mode, default hybrid weights, similarity threshold 0, properties title + abstract' },
    machine: { cores: os.availableParallelism(), shared: true },
    notes: 'latency excludes query embedding (vectors precomputed once with the same model, shared by both engines); nDCG@10 from bench/metrics.ts',
  };
}
