import { configDefaults, defineConfig } from 'vitest/config';
import LongestFirst from './test/sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The cluster suite needs Redis and Ceph: `npm run test:cluster` (vitest.cluster.config.ts).
    exclude: [...configDefaults.exclude, 'test/cluster/**'],
    // Builds the small test indexes once per run, before any file starts (see test/helpers/fixture-index.ts).
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-fetch.ts'],
    // Native addons (hnswlib, LanceDB, onnxruntime) and worker threads are happiest in child processes.
    pool: 'forks',
    // A fork runs file after file, keeping the modules it has loaded (LanceDB, Arrow, the app): a new
    // process per file imported them again, ~1.6 s per file. Each file still closes its own servers,
    // browsers and temporary folders (afterAll).
    isolate: false,
    sequence: { sequencer: LongestFirst },
    // Two cores: embedding-heavy files would only slow each other down.
    maxWorkers: 2,
    // Real models on two shared cores: generous limits, since speed is measured in bench/, not here.
    // No hook does slow work: the global setup builds the indexes, and files start their servers and browsers
    // as they load (top-level await), neither under a time-out, so a busy machine makes them slower, not failures.
    // A test times out only to catch a hang: on a machine shared with many jobs, the crash test (a child indexer) took 205 s.
    testTimeout: 480_000,
    hookTimeout: 90000,
    env: { LOG_LEVEL: 'silent' },
  },
});
