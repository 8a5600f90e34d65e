import { saveLsaModel, type LsaModel } from '../src/embed/lsa.ts';
import { FORMAT_VERSION, MANIFEST_FILE, writeManifest, type Manifest } from '../src/store/manifest.ts';
import { describeBuildFiles } from '../src/store/build-files.ts';
import { writePapersTable, type PaperRow } from '../src/store/papers-table.ts';
import { DEFAULT_ANN_PARAMS, buildAnnIndexInWorker } from '../src/store/ann-index.ts';
import { indexTerms } from '../src/search/keyword-index.ts';
import { saveKeywordPostings } from '../src/store/keyword-file.ts';
import { savePaperFile } from '../src/store/paper-file.ts';
import { saveVectorFile } from '../src/store/vector-file.ts';
import { BUILD_STEPS } from './build-steps.ts';
import type { PreviousLayout } from '../src/topics/place-new.ts';

/** Runs `fn`, recording its seconds under `name` (the manifest's `timings`). */
export type Timer = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

export function stageTimer(timings: Record<string, number>): Timer {
  return async (name, fn) => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[name] = Math.round(performance.now() - t0) / 1000;
    }
  };
}

export interface BuildInput {
  /** Every paper of the build with its vector, in the order of the graph's labels. */
  rows: PaperRow[];
  dimension: number;
  /** The model id the vectors came from (`modelId`), recorded in the manifest. */
  model: string;
  /** A corpus-learned model to store with the build (lsa). */
  lsa?: LsaModel;
  /** Extra options for the build steps (e.g. the number of topics). */
  steps?: Record<string, unknown>;
  /** The previous build's topics and map, into which few new papers are placed instead of fitting both again (src/topics/place-new.ts). */
  previous?: PreviousLayout;
  onStep?: (name: string) => void;
  /** Filled with the seconds of each stage; written into the manifest. */
  timings: Record<string, number>;
}

/**
 * Writes every serving file of a build into `buildDir` from finished papers and
 * vectors (nothing is embedded here): the LanceDB table, the hnswlib graph,
 * the paper and vector files, the BM25 postings, topics, map and spelling, the
 * checksums, and the manifest last (a folder without one is never published).
 * The indexer and the cluster's builder both build through this one function;
 * publishing is the caller's.
 */
export async function writeBuild(buildDir: string, input: BuildInput): Promise<Manifest> {
  const { rows, dimension, timings } = input;
  const time = stageTimer(timings);
  // The graph is built on its own thread while this one writes the tables and computes the other steps.
  const ann = time('build_ann', () => buildAnnIndexInWorker(buildDir, rows.map((r) => r.vector), dimension, rows.map((r) => r.paper.id), DEFAULT_ANN_PARAMS));
  // Awaited below; this only keeps a failure that comes before then from counting as unhandled.
  ann.catch(() => undefined);
  try {
    if (input.lsa) await saveLsaModel(buildDir, input.lsa);
    await time('write_table', () => writePapersTable(buildDir, rows, dimension));
    await time('write_papers', async () => {
      await savePaperFile(buildDir, rows.map((r) => r.paper));
      await saveVectorFile(buildDir, rows.map((r) => r.vector), dimension);
    });
    await time('keyword', () => saveKeywordPostings(buildDir, indexTerms(rows.map((r) => r.paper))));
    for (const step of BUILD_STEPS) {
      input.onStep?.(step.name);
      await time(step.name, () => step.run({ buildDir, rows, dimension, options: input.steps ?? {}, previous: input.previous }));
    }
    await ann;
  } catch (err) {
    // The graph thread may still be writing into the folder: the caller removes it only after that stops.
    await ann.catch(() => undefined);
    throw err;
  }
  const files = await time('checksums', () => describeBuildFiles(buildDir, [MANIFEST_FILE]));
  const manifest: Manifest = {
    formatVersion: FORMAT_VERSION,
    model: input.model,
    dimension,
    count: rows.length,
    ann: DEFAULT_ANN_PARAMS,
    builtAt: new Date().toISOString(),
    timings,
    files,
  };
  await writeManifest(buildDir, manifest);
  return manifest;
}
