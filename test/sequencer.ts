import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds the slow files took in a full `npm test` (two forks on the 2-core
 * development machine; docs/performance.md, "Tests"). Only their order
 * matters: re-measure when a file gets much slower or faster.
 */
const SECONDS: Record<string, number> = {
  'test/browser/page.test.ts': 83,
  'test/writer-lock.test.ts': 69,
  'test/indexer.test.ts': 45,
  'test/ingest-api.test.ts': 32,
  'test/browser/hostile.test.ts': 32,
  'test/embed-use-lite-static.test.ts': 26,
  'test/browser/map.test.ts': 24,
  'test/verified-builds.test.ts': 24,
  'test/browser/web.test.ts': 23,
  'test/edge-limits.test.ts': 20,
  'test/live-swap.test.ts': 20,
  'test/embed-use-lite.test.ts': 18,
  'test/browser/widget.test.ts': 17,
  'test/shutdown.test.ts': 16,
  'test/widget.test.ts': 12,
  'test/api.test.ts': 11,
  'test/indexer-input.test.ts': 11,
  'test/eval.test.ts': 11,
  'test/edge-security.test.ts': 10,
  'test/topics.test.ts': 9,
  'test/search-behaviour.test.ts': 9,
  'test/mcp.test.ts': 9,
  'test/readers.test.ts': 3,
  'test/embed-transformers.test.ts': 2,
  'test/feeds.test.ts': 1,
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
