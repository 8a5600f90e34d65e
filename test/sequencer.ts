import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds the slow files took in a full `npm test` (two forks on the 2-core
 * development machine; session 9, a quiet fresh clone, 224.5 s wall): each file's
 * set-up as it loads (servers, browsers, indexes) plus its tests. The three files
 * split from page.test.ts afterwards (accessibility, search-page, paper-page) are
 * their share of its 63 s, from a run at load ~10 scaled to the quiet one. Only
 * their order matters: re-measure when a file gets much slower or faster.
 */
const SECONDS: Record<string, number> = {
  'test/start.test.ts': 54,
  'test/browser/accessibility.test.ts': 45,
  'test/writer-lock.test.ts': 33,
  'test/browser/search-page.test.ts': 27,
  'test/browser/paper-page.test.ts': 23,
  'test/browser/map.test.ts': 23,
  'test/browser/web.test.ts': 21,
  'test/browser/hostile.test.ts': 21,
  'test/indexer.test.ts': 15,
  'test/embed-use-lite.test.ts': 14,
  'test/verified-builds.test.ts': 11,
  'test/live-swap.test.ts': 10,
  'test/browser/widget.test.ts': 9,
  'test/edge-limits.test.ts': 7,
  'test/embed-use-lite-static.test.ts': 6,
  'test/shutdown.test.ts': 5,
  'test/group-pool.test.ts': 5,
  'test/ingest-api.test.ts': 4,
  'test/eval.test.ts': 4,
  'test/topics.test.ts': 3,
  'test/store-of-record.test.ts': 3,
  'test/indexer-input.test.ts': 3,
  'test/edge-security.test.ts': 2,
  'test/store.test.ts': 2,
  'test/mcp.test.ts': 2,
  'test/readers.test.ts': 2,
  'test/search-behaviour.test.ts': 1,
  'test/feeds.test.ts': 1,
  'test/api.test.ts': 1,
};

/**
 * Longest file first: each of the two forks takes the next file as it frees
 * up, so the long files run side by side from the start and the forks finish
 * close together. vitest's own order on a fresh clone (no timing cache) is the
 * largest source first, which started the longest file (a 90-s one) halfway
 * through the run, with one fork idle at the end. Files not listed start first,
 * since a new file may be slow.
 */
export default class LongestFirst extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = (spec: TestSpecification) => SECONDS[path.relative(spec.project.config.root, spec.moduleId)] ?? Infinity;
    return Promise.resolve([...files].sort((a, b) => seconds(b) - seconds(a)));
  }
}
