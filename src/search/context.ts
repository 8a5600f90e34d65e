import type { SearchIndex } from '../store/load-index.ts';
import type { FusionParams } from './fuse.ts';
import type { ResultGrouper } from '../topics/group-results.ts';

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
}
