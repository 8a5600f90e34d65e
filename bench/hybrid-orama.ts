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
import { createEmbedder } from '../src/embed/create-embedder.ts';
import { loadIndex } from '../src/store/load-index.ts';
import { currentBuildDir } from '../src/store/build-dir.ts';
import { DEFAULT_FUSION } from '../src/search/fuse.ts';
import { search } from '../src/search/search.ts';
import type { SearchContext } from '../src/search/context.ts';
import { runIndexer } from '../indexer/pipeline.ts';
import { mean, ndcgAt } from './metrics.ts';
import type { BenchArgs } from './run.ts';
import { percentiles, round, timeIt } from './stats.ts';
import { BENCH_CACHE, loadVectors, saveVectors } from './vectors.ts';
import { SCIFACT_DIR, sciFactJudgedQueries, type JudgedQuery } from './query-texts.ts';

const K = 10;
const SCIFACT_INDEX_DIR = path.join(BENCH_CACHE, 'scifact-index');

async function sciFactIndexDir(): Promise<string> {
  if (!(await currentBuildDir(SCIFACT_INDEX_DIR))) {
    console.error('hybrid-orama: indexing SciFact with the default model (2 workers), once ...');
    const config = loadConfig();
    await runIndexer({ inputs: [path.join(SCIFACT_DIR, 'corpus.jsonl.gz')], indexDir: SCIFACT_INDEX_DIR, model: config.model, modelsDir: config.modelsDir, allowRemote: false, prune: true, workers: 2 });
  }
  return SCIFACT_INDEX_DIR;
}

async function queryVectors(queries: JudgedQuery[], dim: number): Promise<Float32Array[]> {
  const name = `scifact-queries-${loadConfig().model}`;
  let set = loadVectors(name, dim);
  if (!set || set.n !== queries.length) {
    const config = loadConfig();
    const embedder = await createEmbedder(config.model, { modelsDir: config.modelsDir, allowRemote: false });
    const data = new Float32Array(queries.length * dim);
    for (let i = 0; i < queries.length; i++) data.set(await embedder.embedQuery(queries[i].text), i * dim);
    set = { n: queries.length, dim, data };
    saveVectors(name, set);
  }
  return Array.from({ length: set.n }, (_, i) => set.data.subarray(i * dim, (i + 1) * dim));
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
  const index = await loadIndex(await sciFactIndexDir());
  const queries = sciFactJudgedQueries().slice(0, Number(args.queries ?? Infinity));
  const vectors = await queryVectors(queries, index.manifest.dimension);
  const vectorOf = new Map(queries.map((q, i) => [q.text, vectors[i]]));
  console.error(`hybrid-orama: ${index.papers.length} SciFact documents, ${queries.length} judged queries`);

  const ctx: SearchContext = { index, embedQuery: async (text) => vectorOf.get(text)!, fusion: DEFAULT_FUSION };
  const paperscope = await evaluate(queries, async (i) => (await search(ctx, { q: queries[i].text, k: K, offset: 0, mode: 'hybrid' })).results.map((r) => r.id));
  // Semantic and keyword alone, to show what fusion adds.
  const semantic = await evaluate(queries, async (i) => (await search(ctx, { q: queries[i].text, k: K, offset: 0, mode: 'semantic' })).results.map((r) => r.id));
  const keyword = await evaluate(queries, async (i) => (await search(ctx, { q: queries[i].text, k: K, offset: 0, mode: 'keyword' })).results.map((r) => r.id));

  const db = create({ schema: { title: 'string', abstract: 'string', embedding: `vector[${index.manifest.dimension}]` } as const });
  const { ms: oramaBuildMs } = await timeIt(() =>
    insertMultiple(
      db,
      index.papers.map((p, label) => ({ id: p.id, title: p.title, abstract: p.abstract, embedding: Array.from(index.vector(label)) })),
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
    documents: index.papers.length,
    queries: queries.length,
    qrels: 'qrels/train.tsv',
    model: index.manifest.model,
    paperscope: { ...paperscope, method: `hybrid: BM25 + hnswlib, ${DEFAULT_FUSION.method} fusion (k=${DEFAULT_FUSION.k}, semantic weight ${DEFAULT_FUSION.semanticWeight})` },
    paperscope_semantic: semantic,
    paperscope_keyword: keyword,
    orama: { ...orama, build_s: round(oramaBuildMs / 1000, 2), method: 'Orama 3 hybrid mode, default hybrid weights, similarity threshold 0, properties title + abstract' },
    machine: { cores: os.availableParallelism(), shared: true },
    notes: 'latency excludes query embedding (vectors precomputed once with the same model, shared by both engines); nDCG@10 from bench/metrics.ts',
  };
}
