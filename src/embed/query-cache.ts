import { LRUCache } from 'lru-cache';
import type { Embedder } from './embedder.ts';

/**
 * Query embeddings are the slow part of a search (tens of milliseconds for
 * USE-lite) and popular queries repeat, so they are kept in an LRU cache.
 */
export function cachedQueryEmbedder(embedder: Pick<Embedder, 'embedQuery'>, max = 2000): (text: string) => Promise<Float32Array> {
  const cache = new LRUCache<string, Float32Array>({ max });
  return async (text) => {
    const key = text.trim().toLowerCase();
    let v = cache.get(key);
    if (!v) cache.set(key, (v = await embedder.embedQuery(text)));
    return v;
  };
}
