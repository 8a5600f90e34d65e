import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { hasIndex, INDEX_CALLS, startTestIndexes, testIndexDirs, type TestIndex } from './helpers/fixture-index.ts';
import { CHROMIUM_CALL, launchChromiumServer } from './browser/chromium.ts';
import { buildDist, SCRIPT_CALLS } from './helpers/compiled.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The prebuilt test indexes (see helpers/fixture-index.ts). */
    testIndexDirs: Record<TestIndex, string>;
    /** The run's Chromium, for the browser tests (see browser/chromium.ts); empty when none runs. */
    chromiumEndpoint: string;
    /** dist/, built for the run when a file starts a repository script as a child (see helpers/compiled.ts); empty when none does. */
    compiledDist: string;
  }
}

/** The sources of the test files of this run, so that `vitest run test/readers.test.ts` builds no index and starts no browser. */
async function testSources(project: TestProject): Promise<string[]> {
  // The CLI's file filters; vitest keeps them on the instance without a public getter.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  return Promise.all((await project.vitest.globTestSpecifications(filters)).map((spec) => fs.readFile(spec.moduleId, 'utf8')));
}

/** The indexes these sources use. */
function wantedIndexes(sources: string[]): Set<TestIndex> {
  const wanted = new Set<TestIndex>();
  for (const source of sources) for (const [name, call] of Object.entries(INDEX_CALLS)) if (source.includes(call)) wanted.add(name as TestIndex);
  return wanted;
}

export default async function setup(project: TestProject) {
  // For quick local iterations, indexes built by an earlier run can be reused (PAPERSCOPE_TEST_INDEXES=dir, kept).
  const reuse = process.env.PAPERSCOPE_TEST_INDEXES;
  const dir = reuse ? path.resolve(reuse) : await fs.mkdtemp(path.join(os.tmpdir(), 'paperscope-test-indexes-'));
  const sources = await testSources(project);
  // One Chromium for every browser file: a launch costs ~1.3 CPU-s, a connection little. It starts beside the builds below.
  const launching = sources.some((s) => s.includes(CHROMIUM_CALL)) ? launchChromiumServer() : Promise.resolve(null);
  const wanted = wantedIndexes(sources);
  if (reuse) for (const name of wanted) if (await hasIndex(testIndexDirs(dir)[name])) wanted.delete(name);
  // The indexes build beside the first test files rather than before them: the files that need none (the
  // longest among them, start.test.ts, takes ~45 s) start at once, and a file that needs one waits for it as it
  // loads (prebuiltIndex in helpers/fixture-index.ts). Never rejects: a failed build fails the files that need it.
  const { built } = await startTestIndexes(dir, wanted);
  const teardown = async () => {
    await built;
    await (await launching.catch(() => null))?.close();
    if (!reuse) await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    // Children (servers, indexers) run compiled, as `npm start` does: dist/ is built once here (~5 s).
    const dist = sources.some((s) => SCRIPT_CALLS.some((call) => s.includes(call))) ? buildDist() : Promise.resolve('');
    const [compiledDist, browser] = await Promise.all([dist, launching]);
    project.provide('testIndexDirs', testIndexDirs(dir));
    project.provide('compiledDist', compiledDist);
    project.provide('chromiumEndpoint', browser?.wsEndpoint() ?? '');
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
