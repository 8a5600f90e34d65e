import type { SearchContext } from '../search/context.ts';

/** What the HTTP layer is given; it holds no retrieval logic of its own. */
export interface AppDeps {
  ctx: SearchContext;
  /** The origin other sites see (PUBLIC_URL, else the listen address); never the request's Host header. */
  publicUrl: string;
}
