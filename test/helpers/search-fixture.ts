import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { runIndexer } from '../../indexer/pipeline.ts';
import { SAMPLE_INPUTS } from '../../indexer/readers/index.ts';

/** arXiv records of the slice: the first 300 hold the papers the search-behaviour tests name (black holes, GRB light curves, ...). */
const ARXIV_RECORDS = 300;

/**
 * The seed page (41 papers) and the first 300 arXiv records, indexed with LSA
 * (fitted on the slice in a second, no model weights), into a temporary folder
 * removed when the test file ends: the real build format, built in seconds.
 */
export async function searchFixtureIndex(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paperscope-search-'));
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));
  const [seed, arxiv] = SAMPLE_INPUTS;
  const slice = path.join(dir, 'arxiv-slice.jsonl');
  const lines = (await fs.readFile(arxiv, 'utf8')).split('\n').slice(0, ARXIV_RECORDS);
  await fs.writeFile(slice, lines.join('\n') + '\n');
  const indexDir = path.join(dir, 'index');
  await runIndexer({ inputs: [seed, slice], indexDir, model: 'lsa', modelsDir: 'models', allowRemote: false, prune: false, workers: 1, steps: { topics: 4 } });
  return indexDir;
}
