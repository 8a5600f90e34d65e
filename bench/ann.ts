/**
 * ANN search beside the alternatives on the same vectors and queries: hnswlib
 * with Paperscope's settings, exact brute force (the recall reference), LanceDB
 * flat and IVF-PQ, and Orama's vector mode.
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import * as lancedb from '@lancedb/lancedb';
import { createRequire } from 'node:module';
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import { DEFAULT_ANN_PARAMS, annSearch } from '../src/store/ann-index.ts';
import type { AnnParams } from '../src/store/manifest.ts';
import type { BenchArgs } from './run.ts';
import { collectGarbage, percentiles, round, rssMb, timeIt } from './stats.ts';
import { BENCH_CACHE, dot, row, syntheticCorpus, syntheticQueries, type VectorSet } from './vectors.ts';
import { cachedHnsw } from './hnsw-cache.ts';

const K = 10;
// LanceDB accepts only its own (CommonJS) Arrow classes: the ESM copy of apache-arrow fails its instanceof checks.
const { Field, FixedSizeList, Float32, Int32, RecordBatch, Schema, Struct, Table, makeData } = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');
/** Set when the hnswlib graph came from the cache: the build time measured when it was built. */
let hnswBuildS: number | null = null;

interface Engine {
  /** Builds the structure and returns a per-query search. */
  build(corpus: VectorSet): Promise<(q: Float32Array) => Promise<number[]> | number[]>;
  settings: Record<string, unknown>;
}

/** Top-k rows by inner product (all vectors are unit length, so this is cosine). */
export function exactTopK(corpus: VectorSet, q: Float32Array, k: number): number[] {
  const best: { i: number; s: number }[] = [];
  let floor = -Infinity;
  for (let i = 0; i < corpus.n; i++) {
    const s = dot(q, corpus.data, corpus.dim, i * corpus.dim);
    if (best.length < k || s > floor) {
      best.push({ i, s });
      best.sort((a, b) => b.s - a.s);
      if (best.length > k) best.pop();
      floor = best[best.length - 1].s;
    }
  }
  return best.map((b) => b.i);
}

function arrowTable(corpus: VectorSet): InstanceType<typeof Table> {
  const item = new Field('item', new Float32(), true);
  const schema = new Schema([new Field('id', new Int32(), false), new Field('vector', new FixedSizeList(corpus.dim, item), false)]);
  const batches: InstanceType<typeof RecordBatch>[] = [];
  const rowsPerBatch = 65_536;
  for (let start = 0; start < corpus.n; start += rowsPerBatch) {
    const length = Math.min(rowsPerBatch, corpus.n - start);
    const ids = makeData({ type: new Int32(), length, data: Int32Array.from({ length }, (_, i) => start + i) });
    const values = makeData({ type: new Float32(), length: length * corpus.dim, data: corpus.data.subarray(start * corpus.dim, (start + length) * corpus.dim) });
    const vectors = makeData({ type: new FixedSizeList(corpus.dim, item), length, child: values });
    batches.push(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, children: [ids, vectors] })));
  }
  return new Table(schema, batches);
}

async function lanceTable(corpus: VectorSet, dir: string): Promise<lancedb.Table> {
  fs.rmSync(dir, { recursive: true, force: true });
  const db = await lancedb.connect(dir);
  return db.createTable('vectors', arrowTable(corpus), { mode: 'overwrite' });
}

async function lanceIds(query: lancedb.VectorQuery): Promise<number[]> {
  const rows = await query.distanceType('cosine').select(['id', '_distance']).limit(K).toArray();
  return rows.map((r: { id: number }) => r.id);
}

function engines(args: BenchArgs, n: number, workDir: string): Record<string, Engine | { skipped: string }> {
  const ann: AnnParams = {
    ...DEFAULT_ANN_PARAMS,
    m: Number(args.m ?? DEFAULT_ANN_PARAMS.m),
    efConstruction: Number(args['ef-construction'] ?? DEFAULT_ANN_PARAMS.efConstruction),
    efSearch: Number(args['ef-search'] ?? DEFAULT_ANN_PARAMS.efSearch),
  };
  const ivf = {
    numPartitions: Number(args.partitions ?? Math.max(1, Math.round(Math.sqrt(n)))),
    numSubVectors: Number(args['sub-vectors'] ?? 64),
    nprobes: Number(args.nprobes ?? 20),
    refineFactor: Number(args['refine-factor'] ?? 10),
  };
  const oramaMax = Number(args['orama-max'] ?? 200_000);
  const only = typeof args.engines === 'string' ? new Set(args.engines.split(',')) : null;
  const all: Record<string, Engine | { skipped: string }> = {
    hnswlib: {
      settings: { ...ann, note: 'Paperscope build and search path (buildAnnIndex, annSearch); a graph cached by an earlier run is reused and its measured build time reported' },
      async build(corpus) {
        const { index, buildS } = await cachedHnsw(corpus, ann);
        hnswBuildS = buildS;
        return (q) => annSearch(index, q, K).map((h) => h.label);
      },
    },
    exact: {
      settings: { method: 'brute-force inner product over one Float32Array, single thread' },
      async build(corpus) {
        return (q) => exactTopK(corpus, q, K);
      },
    },
    'lancedb-flat': {
      settings: { method: 'LanceDB vector search without index (bypassVectorIndex), cosine' },
      async build(corpus) {
        const table = await lanceTable(corpus, path.join(workDir, 'flat.lance'));
        return (q) => lanceIds(table.vectorSearch(q).bypassVectorIndex());
      },
    },
    'lancedb-ivfpq': {
      settings: { ...ivf, distanceType: 'cosine' },
      async build(corpus) {
        const table = await lanceTable(corpus, path.join(workDir, 'ivfpq.lance'));
        await table.createIndex('vector', {
          config: lancedb.Index.ivfPq({ numPartitions: ivf.numPartitions, numSubVectors: ivf.numSubVectors, distanceType: 'cosine' }),
        });
        return (q) => lanceIds(table.vectorSearch(q).nprobes(ivf.nprobes).refineFactor(ivf.refineFactor));
      },
    },
    orama:
      n > oramaMax
        ? {
            skipped:
              `not run above ${oramaMax} vectors (--orama-max): Orama's vector mode is a linear scan in JavaScript over a Map of per-document ` +
              'Float32Arrays, so query time and memory grow linearly from the 100k figures (see docs/performance.md), and inserting 1M documents ' +
              'holds every vector plus document objects in the V8 heap',
          }
        : {
            settings: { method: 'Orama 3 vector mode (linear scan), similarity threshold 0 so that every query returns k hits' },
            async build(corpus) {
              const db = create({ schema: { embedding: `vector[${corpus.dim}]` } as const });
              // In chunks: Orama wants plain arrays, and a million of them at once would double the peak heap.
              for (let start = 0; start < corpus.n; start += 10_000) {
                const docs = Array.from({ length: Math.min(10_000, corpus.n - start) }, (_, i) => ({ id: String(start + i), embedding: Array.from(row(corpus, start + i)) }));
                await insertMultiple(db, docs, 1000);
              }
              return async (q) => {
                const res = await oramaSearch(db, { mode: 'vector', vector: { value: Array.from(q), property: 'embedding' }, similarity: 0, limit: K, includeVectors: false });
                return res.hits.map((h) => Number(h.id));
              };
            },
          },
  };
  return only ? Object.fromEntries(Object.entries(all).filter(([name]) => only.has(name))) : all;
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const n = Number(args.n ?? 10_000);
  const queryCount = Number(args.queries ?? 200);
  // Slow engines stop after this many seconds of queries (at least 20 queries), so 1M runs stay bounded.
  const budgetMs = 1000 * Number(args['budget-s'] ?? 60);
  const workDir = path.join(BENCH_CACHE, `ann-work-${n}`);
  fs.mkdirSync(workDir, { recursive: true });
  const { corpus, description } = await syntheticCorpus(n);
  const queries = await syntheticQueries(queryCount);
  console.error(`ann: n=${n} dim=${corpus.dim} queries=${queryCount}`);

  const truth = Array.from({ length: queries.n }, (_, i) => exactTopK(corpus, row(queries, i), K));
  const results: Record<string, unknown> = {};
  for (const [name, engine] of Object.entries(engines(args, n, workDir))) {
    if ('skipped' in engine) {
      results[name] = { skipped: engine.skipped };
      continue;
    }
    collectGarbage();
    const rssBefore = rssMb();
    console.error(`  ${name}: building ...`);
    const { value: query, ms: buildMs } = await timeIt(() => engine.build(corpus));
    collectGarbage();
    const rssAfter = rssMb();
    await query(row(queries, 0)); // warm-up
    const times: number[] = [];
    let recallSum = 0;
    const started = performance.now();
    for (let i = 0; i < queries.n; i++) {
      if (i >= 20 && performance.now() - started > budgetMs) break;
      const { value: ids, ms } = await timeIt(() => query(row(queries, i)));
      times.push(ms);
      recallSum += ids.filter((id) => truth[i].includes(id)).length / K;
    }
    const { p50, p99 } = percentiles(times);
    results[name] = {
      'recall@10': round(recallSum / times.length, 4),
      p50_ms: round(p50),
      p99_ms: round(p99),
      build_s: name === 'hnswlib' && hnswBuildS !== null ? hnswBuildS : round(buildMs / 1000, 2),
      rss_mb: round(rssAfter - rssBefore, 1),
      queries: times.length,
      settings: engine.settings,
    };
    console.error(`  ${name}: ${JSON.stringify(results[name])}`);
  }
  fs.rmSync(workDir, { recursive: true, force: true });
  const speed = (a: string, b: string) => {
    const ea = results[a] as { p50_ms?: number } | undefined;
    const eb = results[b] as { p50_ms?: number } | undefined;
    return ea?.p50_ms && eb?.p50_ms ? round(eb.p50_ms / ea.p50_ms, 1) : null;
  };
  return {
    n,
    dim: corpus.dim,
    k: K,
    queries: queryCount,
    vectors: description,
    engines: results,
    hnswlib_speedup_vs_exact: speed('hnswlib', 'exact'),
    hnswlib_speedup_vs_orama: speed('hnswlib', 'orama'),
    rss_mb_note: 'rss_mb is the growth of the process RSS while building that engine (after a GC when node runs with --expose-gc); exact holds only the corpus Float32Array, which all engines share',
    machine: { cores: os.availableParallelism(), shared: true },
  };
}
