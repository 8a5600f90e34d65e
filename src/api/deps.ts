import type { SearchContext } from '../search/context.ts';

/** What the HTTP layer is given; it holds no retrieval logic of its own. */
export interface AppDeps {
  ctx: SearchContext;
}
