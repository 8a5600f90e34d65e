import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds the slow files took in a full `npm test` (two forks on the 2-core
 * development machine, session 6, load average 4-14; docs/performance.md,
 * "Tests"): each file's set-up as it loads (servers, browsers, indexes) plus its
 * tests. Only their order matters: re-measure when a file gets much slower or faster.
 */
const SECONDS: Record<string, number> = {
  'test/browser/page.test.ts': 120,
  'test/writer-lock.test.ts': 100,
  'test/live-swap.test.ts': 49,
  'test/indexer.test.ts': 45,
  'test/embed-use-lite.test.ts': 45,
  'test/start.test.ts': 44,
  'test/eval.test.ts': 36,
  'test/browser/hostile.test.ts': 35,
  'test/embed-use-lite-static.test.ts': 28,
  'test/ingest-api.test.ts': 27,
  'test/verified-builds.test.ts': 27,
  'test/browser/widget.test.ts': 27,
  'test/browser/map.test.ts': 26,
  'test/browser/web.test.ts': 25,
  'test/edge-limits.test.ts': 22,
  'test/shutdown.test.ts': 17,
  'test/indexer-input.test.ts': 17,
  'test/mcp.test.ts': 11,
  'test/topics.test.ts': 9,
  'test/widget.test.ts': 9,
  'test/edge-security.test.ts': 7,
  'test/search-behaviour.test.ts': 7,
  'test/store-of-record.test.ts': 6,
  'test/api.test.ts': 5,
  'test/store.test.ts': 4,
  'test/replica.test.ts': 4,
  'test/readers.test.ts': 3,
  'test/feeds.test.ts': 2,
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
