import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createSearchPool, type SearchPool } from '../src/search/search-pool.ts';
import { search, type SearchParams, type SearchResponse } from '../src/search/search.ts';
import type { SearchContext } from '../src/search/context.ts';
import { DEFAULT_FUSION, DEFAULT_SIMILAR_FUSION } from '../src/search/fuse.ts';
import { currentBuildDir } from '../src/store/build-dir.ts';
import { loadBuild } from '../src/store/load-index.ts';
import { fixtureIndex } from './helpers/fixture-index.ts';
import { tempDir } from './helpers/temp-dir.ts';

/**
 * The search threads (src/search/search-pool.ts) on the fixture index: one
 * thread, as the test servers run (each thread loads its own copy of the model).
 */
const config = loadConfig({});
const buildDir = (await currentBuildDir(await fixtureIndex()))!;
const pool: SearchPool = await createSearchPool(config.model, { modelsDir: config.modelsDir, allowRemote: false, buildDir }, 1);
const index = await loadBuild(buildDir);
afterAll(async () => {
  index.close();
  await pool.close();
});

// The same query vectors here as on the thread (the thread's model embeds them), so that only where the search runs differs.
const here: SearchContext = { index, embedQuery: (text) => pool.embedQuery(text), fusion: DEFAULT_FUSION, similarFusion: DEFAULT_SIMILAR_FUSION };
const withoutTime = ({ took_ms: _, ...rest }: SearchResponse) => rest;
const params = (q: string, extra: Partial<SearchParams> = {}): SearchParams => ({ q, k: 10, offset: 0, mode: 'hybrid', ...extra });

describe('the search pool', () => {
  it('answers every kind of search exactly as search() does in this thread', async () => {
    const searcher = await pool.open(buildDir);
    try {
      const queries = [
        params('graph neural networks'),
        params('quantum field theory', { mode: 'semantic' }),
        params('dark matter halos', { mode: 'keyword' }),
        params('papers like ULIP about 3D point clouds'),
        params('langauge modles'),
        params('language models', { correct: false, k: 5, offset: 5 }),
        params('the', { k: 100, offset: 20, sort: 'newest' }),
        params('physics', { yearFrom: 2007, yearTo: 2007 }),
        params('zzzzqqq xxyyzz'),
      ];
      for (const p of queries) {
        const [there, mine] = await Promise.all([searcher.search(p), search(here, p)]);
        expect(withoutTime(there), p.q).toEqual(withoutTime(mine));
        expect(there.took_ms).toBeGreaterThan(0);
      }
      // search() itself goes to the threads when the context has a searcher.
      const p = params('large language models');
      expect(withoutTime(await search({ ...here, searcher }, p))).toEqual(withoutTime(await search(here, p)));
    } finally {
      searcher.release();
    }
  });

  it('embeds a query as the model does: a unit vector of its dimension', async () => {
    const v = await pool.embedQuery('protein folding');
    expect(v).toBeInstanceOf(Float32Array);
    expect(v.length).toBe(pool.dimension);
    expect(Math.hypot(...v)).toBeCloseTo(1, 4);
  });

  it('rejects opening a build that is missing, and goes on serving the others', async () => {
    await expect(pool.open(path.join(await tempDir(), 'no-such-build'))).rejects.toThrow();
    const searcher = await pool.open(buildDir);
    expect((await searcher.search(params('graph neural networks'))).results.length).toBeGreaterThan(0);
    searcher.release();
  });

  it('keeps a build open while any holder has it, and errors clearly once released', async () => {
    const [a, b] = await Promise.all([pool.open(buildDir), pool.open(buildDir)]);
    a.release();
    // b still holds the threads' copy.
    expect((await b.search(params('dark matter'))).results.length).toBeGreaterThan(0);
    b.release();
    b.release(); // twice is harmless
    await expect(b.search(params('dark matter'))).rejects.toThrow(/released/);
    await expect(a.search(params('dark matter'))).rejects.toThrow(/released/);
  });

  it('rejects at once with the reason when the signal is aborted, before or during a search', async () => {
    const searcher = await pool.open(buildDir);
    try {
      const reason = new Error('client went away');
      await expect(searcher.search(params('neural networks'), AbortSignal.abort(reason))).rejects.toBe(reason);
      await expect(search({ ...here, searcher }, params('neural networks'), AbortSignal.abort(reason))).rejects.toBe(reason);
      const controller = new AbortController();
      const pending = searcher.search(params('a query the threads have not seen, about galaxies'), controller.signal);
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      // The thread is not left broken by the dropped answer.
      expect((await searcher.search(params('galaxies'))).results.length).toBeGreaterThan(0);
    } finally {
      searcher.release();
    }
  });
});
