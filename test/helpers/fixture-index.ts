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

/**
 * Builds the wanted indexes under `dir`: the fixture index (the seed papers and
 * the arXiv records) and the seed index (the 41 seed papers) with the default
 * model, and the hostile index (helpers/hostile-index.ts) with the
 * corpus-learned model alongside them. The default model embeds each paper
 * once: the seed index is a pruned copy of the fixture index, whose seed
 * papers' vectors it reuses (one embedding run of 141 papers keeps both threads
 * busier than runs of 41 and 100, each starting its own threads).
 */
export async function buildTestIndexes(dir: string, wanted: Set<TestIndex>): Promise<Record<TestIndex, string>> {
  const dirs = { seeds: path.join(dir, 'seeds'), fixture: path.join(dir, 'fixture'), hostile: path.join(dir, 'hostile') };
  const defaultModel = async () => {
    if (wanted.has('fixture')) {
      const slice = path.join(dir, 'arxiv-slice.jsonl');
      const lines = (await fs.readFile(ARXIV_SAMPLE, 'utf8')).split('\n').slice(0, FIXTURE_ARXIV_RECORDS);
      await fs.writeFile(slice, lines.join('\n'));
      await index([SEED_FILE, slice], dirs.fixture);
    }
    if (wanted.has('seeds')) {
      if (await hasIndex(dirs.fixture)) await fs.cp(dirs.fixture, dirs.seeds, { recursive: true });
      await index([SEED_FILE], dirs.seeds, { prune: true, keepBuilds: 1 });
    }
  };
  await Promise.all([defaultModel(), wanted.has('hostile') ? buildHostileIndex(dirs.hostile) : undefined]);
  return dirs;
}

/**
 * The seed index (the 41 seed papers, default model), built once per run by the
 * global setup before any test file starts, so that no test waits on a build
 * inside a hook. Read-only: copy it (copyIndex) to change it.
 */
export function seedIndex(): string {
  return inject('testIndexDirs').seeds;
}

/** The fixture index: the seed papers and the first arXiv records (see seedIndex). */
export function fixtureIndex(): string {
  return inject('testIndexDirs').fixture;
}

/** A private copy of a prebuilt index, for a test that writes to it. */
export async function copyIndex(indexDir: string): Promise<string> {
  const copy = path.join(await tempDir(), 'index');
  await fs.cp(indexDir, copy, { recursive: true });
  return copy;
}
