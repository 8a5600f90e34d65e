import { defineConfig } from 'vitest/config';

/**
 * The cluster suite (`npm run test:cluster`): real Redis and one-node Ceph,
 * started once by the global setup. Not part of `npm test`, which stays
 * service-free.
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    globalSetup: ['test/cluster/global-setup.ts'],
    pool: 'forks',
    // The files share one Redis and one Ceph; one at a time keeps their timings honest on two cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 90000,
    env: { LOG_LEVEL: 'silent' },
  },
});
