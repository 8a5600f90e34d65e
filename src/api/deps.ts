import type { LiveIndex, ServingBuild } from '../store/live-index.ts';
import type { SearchContext } from '../search/context.ts';
import type { IngestDeps } from './routes/ingest.ts';
import type { Gate } from './shed.ts';
import type { IndexingProgress } from '../sample-indexing.ts';

/** What the HTTP layer is given; it holds no retrieval logic of its own. */
export interface AppDeps {
  /** The serving build, replaced while the server runs; routes read it per request as `c.get('ctx')`. */
  live: LiveIndex;
  /** The origin other sites see (PUBLIC_URL, else the listen address); never the request's Host header. */
  publicUrl: string;
  /** The write endpoints; absent, the service is read-only. */
  ingest?: IngestDeps;
  /** Concurrency bounds: searches, similar papers and pages; query-time clustering. */
  gates: { search: Gate; topics: Gate };
  /** A background indexer's progress while one runs (npm start's first run), reported by /health and /api/stats. */
  indexing?: () => IndexingProgress | null;
}

/**
 * Per-request values set by app.ts: `ctx` is the context of the build this
 * request started on (`build` says which), held until the request ends, so it
 * never changes under the request.
 */
export type AppEnv = { Variables: { ctx: SearchContext; build: ServingBuild } };
