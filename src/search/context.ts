import type { SearchIndex } from '../store/load-index.ts';
import type { FusionParams } from './fuse.ts';
import type { ResultGrouper } from '../topics/group-results.ts';
import type { SearchParams, SearchResponse } from './search.ts';

/**
 * Runs `search()` somewhere else than this thread, on its own copy of the same
 * build (the service's query threads, src/search/search-pool.ts).
 */
export interface Searcher {
  /** The same answer as `search()` here; an aborted signal rejects at once with its reason. */
  search(params: SearchParams, signal?: AbortSignal): Promise<SearchResponse>;
  /** Drops the build's copies once no more searches will come (a retired build has drained); searching after that is an error. */
  release(): void;
}

/** What the retrieval core needs: the loaded index and a way to embed a query. */
export interface SearchContext {
  index: SearchIndex;
  embedQuery(text: string): Promise<Float32Array>;
  /** Fusion for search queries. */
  fusion: FusionParams;
  /** Fusion for similar papers (paper-to-paper). */
  similarFusion: FusionParams;
  /** Clusters result lists at query time; the service runs it on worker threads, absent means in this thread. */
  grouper?: ResultGrouper;
  /** Where `search()` runs: the service's query threads, so that fusion never holds the event loop; absent means in this thread. */
  searcher?: Searcher;
}
