import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEdgeConfig, type EdgeConfig } from './edge-config.ts';
import { loadIngestConfig, type IngestConfig } from './ingest/ingest-config.ts';
import { DEFAULT_KEEP_BUILDS } from './store/build-dir.ts';
import type { ThreadPriority } from './worker-pool.ts';

/** The repository root (the folder with package.json: above src/, or above dist/src/ when compiled), so that defaults work whatever the working directory. */
export const REPO_ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

export interface Config {
  port: number;
  host: string;
  indexDir: string;
  /**
   * Set: this server is a replica of the builds published at this URL
   * (`s3://bucket/prefix`, `file:///path`): it copies the store's CURRENT build
   * into INDEX_DIR and follows it (src/remote/replica.ts).
   */
  indexUrl: string | null;
  model: string;
  modelsDir: string;
  allowRemoteModels: boolean;
  /** Threads that embed queries (USE-lite), so that a slow embedding never holds up the event loop. */
  queryWorkers: number;
  /** CPU priority of the server's query-time threads (query embedding, clustering), below the event loop's: nice 0–19 or 'idle' (SCHED_IDLE). */
  queryThreadNice: ThreadPriority;
  /** Limits and settings of the HTTP edge (src/edge-config.ts). */
  edge: EdgeConfig;
  /** The write path: API keys and the queue (src/ingest/ingest-config.ts). */
  ingest: IngestConfig;
  /** How often the server re-reads INDEX_DIR/CURRENT besides watching it (0: watch and SIGHUP only). */
  indexPollMs: number;
  /** Published builds the indexer keeps (builds a running server holds are kept as well). */
  keepBuilds: number;
  /** How long a writer (the indexer, npm start's first run) waits for another one's lock on INDEX_DIR. */
  lockWaitMs: number;
  /** npm start's first run: the background indexer publishes a build after every this many sample papers (src/sample-indexing.ts). */
  sampleCheckpoint: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    // A replica's copies get their own default folder: following a store must never collect a local index's builds.
    indexDir: path.resolve(env.INDEX_DIR ?? path.join(REPO_ROOT, 'data', env.INDEX_URL ? 'replica' : 'index')),
    indexUrl: env.INDEX_URL || null,
    model: env.MODEL ?? 'use-lite',
    modelsDir: path.resolve(env.MODELS_DIR ?? path.join(REPO_ROOT, 'models')),
    allowRemoteModels: env.ALLOW_REMOTE_MODELS === '1',
    queryWorkers: Math.max(1, Number(env.QUERY_WORKERS ?? 2) || 1),
    queryThreadNice: env.QUERY_THREAD_NICE === 'idle' ? 'idle' : Math.min(19, Math.max(0, Math.trunc(Number(env.QUERY_THREAD_NICE ?? 10)) || 0)),
    edge: loadEdgeConfig(env),
    ingest: loadIngestConfig(env),
    indexPollMs: Math.max(0, Number(env.INDEX_POLL_MS ?? 2000) || 0),
    keepBuilds: Math.max(1, Number(env.KEEP_BUILDS ?? DEFAULT_KEEP_BUILDS) || DEFAULT_KEEP_BUILDS),
    lockWaitMs: Math.max(0, Number(env.INDEX_LOCK_WAIT ?? 0) || 0) * 1000,
    sampleCheckpoint: Math.max(1, Number(env.SAMPLE_CHECKPOINT ?? 500) || 500),
  };
}
