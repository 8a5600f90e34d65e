import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run's sample index is built, on first use (see helpers/sample-index.ts). */
    sampleIndexDir: string;
  }
}

export default async function setup(project: TestProject) {
  // For quick local iterations an already built sample index can be reused; CI always builds one.
  const reuse = process.env.PAPERSCOPE_TEST_SAMPLE_INDEX;
  if (reuse) {
    project.provide('sampleIndexDir', reuse);
    return;
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paperscope-sample-'));
  project.provide('sampleIndexDir', dir);
  return async () => {
    await fs.rm(dir, { recursive: true, force: true });
  };
}
