import type { SearchContext } from '../search/context.ts';
import type { IngestDeps } from './routes/ingest.ts';

/** What the HTTP layer is given; it holds no retrieval logic of its own. */
export interface AppDeps {
  ctx: SearchContext;
  /** The origin other sites see (PUBLIC_URL, else the listen address); never the request's Host header. */
  publicUrl: string;
  /** The write endpoints; absent, the service is read-only. */
  ingest?: IngestDeps;
}
