import fs from 'node:fs/promises';
import path from 'node:path';
import { inject } from 'vitest';
import { runIndexer, type IndexOptions } from '../../indexer/pipeline.ts';
import { SAMPLE_INPUTS } from '../../indexer/readers/index.ts';
import { loadConfig } from '../../src/config.ts';
import { tempDir } from './temp-dir.ts';
import { buildHostileIndex } from './hostile-index.ts';

export const [SEED_FILE, ARXIV_SAMPLE] = SAMPLE_INPUTS as [string, string];

/**
 * How many records of the arXiv sample join the 41 seed papers in the fixture
 * index: enough for the tests that name arXiv papers (0704.0001 ...) or search
 * physics (quantum field theory, dark matter halos), few enough that the build
 * takes seconds instead of the whole sample's minutes.
 */
export const FIXTURE_ARXIV_RECORDS = 100;
export const SEED_PAPERS = 41;
export const FIXTURE_PAPERS = SEED_PAPERS + FIXTURE_ARXIV_RECORDS;

/** Which prebuilt indexes a test file asks for, found by these calls in its source. */
export const INDEX_CALLS = { seeds: 'seedIndex()', fixture: 'fixtureIndex()', hostile: 'hostileIndex()' } as const;
export type TestIndex = keyof typeof INDEX_CALLS;

async function index(inputs: string[], indexDir: string, extra: Partial<IndexOptions> = {}): Promise<void> {
  const config = loadConfig({});
  await runIndexer({ inputs, indexDir, model: config.model, modelsDir: config.modelsDir, allowRemote: false, prune: false, workers: 2, ...extra });
}

/** Whether `indexDir` holds a published index. */
export const hasIndex = (indexDir: string) => fs.stat(path.join(indexDir, 'CURRENT')).then(() => true, () => false);

/** Where the prebuilt indexes live under the run's folder. */
export const testIndexDirs = (dir: string): Record<TestIndex, string> => ({ seeds: path.join(dir, 'seeds'), fixture: path.join(dir, 'fixture'), hostile: path.join(dir, 'hostile') });

/** Written beside a prebuilt index when its build has ended: `.ready`, or `.failed` holding the error. */
const marker = (indexDir: string, state: 'ready' | 'failed') => `${indexDir}.${state}`;

/** Runs one index's build and leaves its marker; never rejects (a file waiting on the index reports the failure). */
async function settle(indexDir: string, build: () => Promise<unknown>): Promise<void> {
  try {
    await build();
    await fs.writeFile(marker(indexDir, 'ready'), '');
  } catch (err) {
    await fs.writeFile(marker(indexDir, 'failed'), err instanceof Error ? (err.stack ?? err.message) : String(err));
  }
}

/**
 * Starts building the wanted indexes under `dir` (the others are there already, or not
 * needed): the fixture index (the seed papers and the arXiv records) and the
 * seed index (the 41 seed papers) with the default model, and the hostile index
 * (helpers/hostile-index.ts) with the corpus-learned model alongside them. The
 * default model embeds each paper once: the seed index is a pruned copy of the
 * fixture index, whose seed papers' vectors it reuses (one embedding run of 141
 * papers keeps both threads busier than runs of 41 and 100, each starting its
 * own threads). Resolves once the builds have started; each index is marked
 * ready as soon as it is built, for the files waiting on it (prebuiltIndex), and
 * `built` resolves when all have ended (it never rejects).
 */
export async function startTestIndexes(dir: string, wanted: Set<TestIndex>): Promise<{ built: Promise<void> }> {
  const dirs = testIndexDirs(dir);
  // Markers of an earlier run (PAPERSCOPE_TEST_INDEXES) are reset before any file can look for them.
  for (const name of Object.keys(dirs) as TestIndex[]) {
    await fs.rm(marker(dirs[name], 'failed'), { force: true });
    if (!wanted.has(name)) await fs.writeFile(marker(dirs[name], 'ready'), '');
    else await fs.rm(marker(dirs[name], 'ready'), { force: true });
  }
  const defaultModel = async () => {
    if (wanted.has('fixture'))
      await settle(dirs.fixture, async () => {
        const slice = path.join(dir, 'arxiv-slice.jsonl');
        const lines = (await fs.readFile(ARXIV_SAMPLE, 'utf8')).split('\n').slice(0, FIXTURE_ARXIV_RECORDS);
        await fs.writeFile(slice, lines.join('\n'));
        await index([SEED_FILE, slice], dirs.fixture);
      });
    if (wanted.has('seeds'))
      await settle(dirs.seeds, async () => {
        if (await hasIndex(dirs.fixture)) await fs.cp(dirs.fixture, dirs.seeds, { recursive: true });
        await index([SEED_FILE], dirs.seeds, { prune: true, keepBuilds: 1 });
      });
  };
  return { built: Promise.all([defaultModel(), wanted.has('hostile') ? settle(dirs.hostile, () => buildHostileIndex(dirs.hostile)) : undefined]).then(() => undefined) };
}

/**
 * A prebuilt index, once the global setup has built it. The builds run beside
 * the first test files (those that need no index start at once), so a file
 * waits here, as it loads: no hook time-out applies, and a busy machine makes
 * the wait longer, not a failure. Read-only: copy it (copyIndex) to change it.
 */
async function prebuiltIndex(name: TestIndex): Promise<string> {
  const indexDir = inject('testIndexDirs')[name];
  for (;;) {
    if (await fs.stat(marker(indexDir, 'ready')).then(() => true, () => false)) return indexDir;
    const failed = await fs.readFile(marker(indexDir, 'failed'), 'utf8').catch(() => null);
    if (failed !== null) throw new Error(`the global setup could not build the ${name} test index:\n${failed}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The seed index: the 41 seed papers, default model (see prebuiltIndex). */
export const seedIndex = () => prebuiltIndex('seeds');

/** The fixture index: the seed papers and the first arXiv records (see prebuiltIndex). */
export const fixtureIndex = () => prebuiltIndex('fixture');

/** The hostile index (model `lsa`, helpers/hostile-index.ts; see prebuiltIndex). Serve it, never index into it. */
export const hostileIndex = () => prebuiltIndex('hostile');

/** A private copy of a prebuilt index, for a test that writes to it. */
export async function copyIndex(indexDir: string): Promise<string> {
  const copy = path.join(await tempDir(), 'index');
  await fs.cp(indexDir, copy, { recursive: true });
  return copy;
}
