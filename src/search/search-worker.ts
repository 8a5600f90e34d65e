/**
 * Worker-thread side of the search pool (search-pool.ts): the query model and
 * its own copy of each build the service serves, so that a whole uncached
 * search (query embedding, retrieval, fusion, snippets) runs off the event loop.
 *
 * Builds are held by count: the main thread opens a build on every thread when
 * it starts serving it and releases it when the build has drained after a
 * swap; the copy is closed at the last release, once its searches have ended.
 */
import { loadThreadEmbedder } from '../embed/create-embedder.ts';
import { cachedQueryEmbedder } from '../embed/query-cache.ts';
import { loadBuild } from '../store/load-index.ts';
import { serveJobs } from '../worker-jobs.ts';
import { PaperscopeError } from '../errors.ts';
import type { SearchContext } from './context.ts';
import { DEFAULT_FUSION, DEFAULT_SIMILAR_FUSION, type FusionParams } from './fuse.ts';
import { search, type SearchParams, type SearchResponse } from './search.ts';

export interface SearchInfo {
  id: string;
  dimension: number;
}

export type SearchJob =
  | { kind: 'open'; dir: string; fusion?: FusionParams }
  | { kind: 'search'; dir: string; params: SearchParams }
  | { kind: 'embed'; text: string }
  | { kind: 'release'; dir: string };

export type SearchJobResult = SearchResponse | Float32Array | null;

interface Held {
  ctx: Promise<SearchContext>;
  holders: number;
  /** Searches under way on it: a released build is closed once they end. */
  running: number;
}

await serveJobs<SearchInfo, SearchJob, SearchJobResult>(async () => {
  const embedder = await loadThreadEmbedder();
  const embedQuery = cachedQueryEmbedder(embedder);
  const builds = new Map<string, Held>();

  const closeIfIdle = (dir: string, held: Held) => {
    if (held.holders > 0 || held.running > 0 || builds.get(dir) !== held) return;
    builds.delete(dir);
    held.ctx.then(
      (ctx) => ctx.index.close(),
      () => undefined,
    );
  };

  const open = async (dir: string, fusion: FusionParams | undefined): Promise<null> => {
    let held = builds.get(dir);
    if (!held) {
      // Checksums were checked by the main thread, which loaded and verified this build before asking; a search reads no topic.
      const ctx = loadBuild(dir, { verify: false, topics: false }).then(
        (index): SearchContext => ({ index, embedQuery, fusion: fusion ?? DEFAULT_FUSION, similarFusion: DEFAULT_SIMILAR_FUSION }),
      );
      held = { ctx, holders: 0, running: 0 };
      builds.set(dir, held);
      ctx.catch(() => {
        if (builds.get(dir) === held) builds.delete(dir);
      });
    }
    held.holders++;
    try {
      await held.ctx;
    } catch (err) {
      held.holders--;
      throw err;
    }
    return null;
  };

  const searchOn = async (dir: string, params: SearchParams): Promise<SearchResponse> => {
    const held = builds.get(dir);
    if (!held || held.holders === 0) throw new PaperscopeError('INTERNAL', `The build ${dir} is not open on this search thread (released or never opened)`, { buildDir: dir });
    held.running++;
    try {
      return await search(await held.ctx, params);
    } finally {
      held.running--;
      closeIfIdle(dir, held);
    }
  };

  const release = (dir: string): null => {
    const held = builds.get(dir);
    if (held && held.holders > 0) {
      held.holders--;
      closeIfIdle(dir, held);
    }
    return null;
  };

  return {
    info: { id: embedder.id, dimension: embedder.dimension },
    handle(job) {
      switch (job.kind) {
        case 'open':
          return open(job.dir, job.fusion);
        case 'search':
          return searchOn(job.dir, job.params);
        // A copy crosses to the main thread: the cached vector stays here.
        case 'embed':
          return embedQuery(job.text);
        case 'release':
          return release(job.dir);
      }
    },
  };
});
