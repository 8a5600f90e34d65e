import fs from 'node:fs/promises';
import path from 'node:path';
import { inject } from 'vitest';
import { runIndexer } from '../../indexer/pipeline.ts';
import { SAMPLE_INPUTS } from '../../indexer/readers/index.ts';
import { loadConfig } from '../../src/config.ts';
import { currentBuildDir } from '../../src/store/build-dir.ts';

/**
 * The whole sample corpus (2,041 papers) indexed with the default model, built
 * once per test run by the first file that asks; test files run in parallel
 * processes, so the others wait for it. Runs that need no sample index never pay for one.
 */
export async function sampleIndex(): Promise<string> {
  const dir = inject('sampleIndexDir');
  if (await currentBuildDir(dir)) return dir;
  const claimed = await fs.mkdir(path.join(dir, '.building')).then(
    () => true,
    () => false,
  );
  if (claimed) {
    const config = loadConfig({});
    await runIndexer({ inputs: SAMPLE_INPUTS, indexDir: dir, model: config.model, modelsDir: config.modelsDir, allowRemote: false, prune: false, workers: 2 });
    return dir;
  }
  while (!(await currentBuildDir(dir))) await new Promise((r) => setTimeout(r, 500));
  return dir;
}
