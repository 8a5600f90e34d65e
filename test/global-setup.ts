import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildTestIndexes, hasIndex, INDEX_CALLS, type TestIndex } from './helpers/fixture-index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The prebuilt test indexes (see helpers/fixture-index.ts). */
    testIndexDirs: Record<TestIndex, string>;
  }
}

/** The indexes the test files of this run use, so that `vitest run test/readers.test.ts` builds none. */
async function wantedIndexes(project: TestProject): Promise<Set<TestIndex>> {
  // The CLI's file filters; vitest keeps them on the instance without a public getter.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  const wanted = new Set<TestIndex>();
  for (const spec of await project.vitest.globTestSpecifications(filters)) {
    const source = await fs.readFile(spec.moduleId, 'utf8');
    for (const [name, call] of Object.entries(INDEX_CALLS)) if (source.includes(call)) wanted.add(name as TestIndex);
  }
  return wanted;
}

export default async function setup(project: TestProject) {
  // For quick local iterations, indexes built by an earlier run can be reused (PAPERSCOPE_TEST_INDEXES=dir, kept).
  const reuse = process.env.PAPERSCOPE_TEST_INDEXES;
  const dir = reuse ? path.resolve(reuse) : await fs.mkdtemp(path.join(os.tmpdir(), 'paperscope-test-indexes-'));
  const cleanup = () => fs.rm(dir, { recursive: true, force: true });
  try {
    const wanted = await wantedIndexes(project);
    if (reuse) for (const name of wanted) if (await hasIndex(path.join(dir, name))) wanted.delete(name);
    // Built here rather than in a file's beforeAll: the global setup has no time-out, so a busy machine is only slower.
    project.provide('testIndexDirs', await buildTestIndexes(dir, wanted));
  } catch (err) {
    if (!reuse) await cleanup();
    throw err;
  }
  return reuse ? undefined : cleanup;
}
