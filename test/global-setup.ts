import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { runIndexer } from '../indexer/pipeline.ts';
import { SAMPLE_INPUTS } from '../indexer/readers/index.ts';
import { loadConfig } from '../src/config.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An index of the whole sample corpus (2,041 papers) built with the default model. */
    sampleIndexDir: string;
  }
}

/** Builds the sample index once for every test file that needs a realistic corpus. */
export default async function setup(project: TestProject) {
  // For quick local iterations an already built sample index can be reused; CI always builds one.
  const reuse = process.env.PAPERSCOPE_TEST_SAMPLE_INDEX;
  if (reuse) {
    project.provide('sampleIndexDir', reuse);
    return;
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paperscope-sample-'));
  const config = loadConfig({});
  await runIndexer({
    inputs: SAMPLE_INPUTS,
    indexDir: dir,
    model: config.model,
    modelsDir: config.modelsDir,
    allowRemote: false,
    prune: false,
    workers: 2,
  });
  project.provide('sampleIndexDir', dir);
  return async () => {
    await fs.rm(dir, { recursive: true, force: true });
  };
}
