import type { SearchIndex } from '../store/load-index.ts';
import type { FusionParams } from './fuse.ts';

/** What the retrieval core needs: the loaded index and a way to embed a query. */
export interface SearchContext {
  index: SearchIndex;
  embedQuery(text: string): Promise<Float32Array>;
  /** Fusion for search queries. */
  fusion: FusionParams;
  /** Fusion for similar papers (paper-to-paper). */
  similarFusion: FusionParams;
}
