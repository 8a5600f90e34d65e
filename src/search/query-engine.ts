import type { Config } from '../config.ts';
import { createEmbedder, embedsInWorkers, type EmbedderOptions } from '../embed/create-embedder.ts';
import type { Embedder } from '../embed/embedder.ts';
import { LSA_ID } from '../embed/lsa.ts';
import { cachedQueryEmbedder } from '../embed/query-cache.ts';
import { assertSameModel } from '../store/manifest.ts';
import type { SearchIndex } from '../store/load-index.ts';
import type { Searcher } from './context.ts';
import type { FusionParams } from './fuse.ts';
import { createSearchPool } from './search-pool.ts';
import type { ThreadPriority } from '../worker-pool.ts';

/** How one build's queries are answered: the pieces of its SearchContext that depend on the query model. */
export interface BuildQueries {
  embedQuery(text: string): Promise<Float32Array>;
  /** Present when searches run on the query threads. */
  searcher?: Searcher;
}

export interface QueryEngine {
  readonly id: string;
  readonly dimension: number;
  /**
   * Checks that `index` was built by this model and readies its queries (on the
   * threads: loads it there). Pair with `searcher?.release()` once the build
   * has drained.
   */
  forBuild(index: SearchIndex, fusion?: FusionParams): Promise<BuildQueries>;
  close(): Promise<void>;
}

/**
 * The service's query side. Models that run in worker threads (USE-lite) get
 * `threads` search threads at CPU priority `nice`, each holding the model and a
 * copy of every served build, so that a whole uncached search (embedding,
 * retrieval, fusion) runs off the event loop. Other models (lsa, transformers.js)
 * embed in this thread and search here; a corpus-fitted model (lsa) lives in
 * each build, so each build embeds queries with its own fit.
 * `options.buildDir` is the first build's folder.
 */
export async function startQueryEngine(spec: string, options: EmbedderOptions, threads: number, nice: ThreadPriority = 0): Promise<QueryEngine> {
  if (embedsInWorkers(spec)) {
    const pool = await createSearchPool(spec, options, threads, nice);
    const embedQuery = cachedQueryEmbedder(pool);
    return {
      id: pool.id,
      dimension: pool.dimension,
      async forBuild(index, fusion) {
        assertSameModel(index.manifest, pool.id, pool.dimension);
        return { embedQuery, searcher: await pool.open(index.buildDir, fusion) };
      },
      close: () => pool.close(),
    };
  }
  const embedder = await createEmbedder(spec, options);
  const embedQuery = cachedQueryEmbedder(embedder);
  const fitted = spec === LSA_ID;
  return {
    id: embedder.id,
    dimension: embedder.dimension,
    async forBuild(index) {
      const own: Embedder = fitted && index.buildDir !== options.buildDir ? await createEmbedder(spec, { ...options, buildDir: index.buildDir }) : embedder;
      assertSameModel(index.manifest, own.id, own.dimension);
      return { embedQuery: own === embedder ? embedQuery : cachedQueryEmbedder(own) };
    },
    close: async () => embedder.dispose?.(),
  };
}

/** The query engine a server's configuration asks for (MODEL, QUERY_WORKERS, QUERY_THREAD_NICE); `buildDir` is its first build. */
export function startConfiguredQueryEngine(config: Config, buildDir?: string): Promise<QueryEngine> {
  return startQueryEngine(config.model, { modelsDir: config.modelsDir, allowRemote: config.allowRemoteModels, buildDir }, config.queryWorkers, config.queryThreadNice);
}
