/**
 * Indexing throughput: the whole indexer (read → embed → write → ANN → publish)
 * with 1 and 2 embedding workers, beside the embedding model alone on the same
 * texts and batch size in the same run, and a re-run on unchanged input.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createEmbedder, documentText } from '../src/embed/create-embedder.ts';
import { readInputs, SAMPLE_INPUTS } from '../indexer/readers/index.ts';
import { runIndexer, type IndexSummary } from '../indexer/pipeline.ts';
import type { BenchArgs } from './run.ts';
import { round, timeIt } from './stats.ts';
import { BENCH_CACHE } from './vectors.ts';
import { SCIFACT_DIR } from './query-texts.ts';

/** The embed pool's default batch, used for the raw-model figure too. */
const BATCH = 16;

const CORPORA: Record<string, string[]> = {
  sample: SAMPLE_INPUTS,
  scifact: [path.join(SCIFACT_DIR, 'corpus.jsonl.gz')],
};

/** The first `limit` papers of the inputs, as one generic JSON-lines file, so that every run indexes the same papers. */
async function inputsFor(corpus: string, limit: number): Promise<{ files: string[]; papers: { title: string; abstract: string }[] }> {
  const { papers } = await readInputs(CORPORA[corpus]);
  const chosen = papers.slice(0, limit);
  if (chosen.length === papers.length) return { files: CORPORA[corpus], papers };
  const file = path.join(BENCH_CACHE, `index-input-${corpus}-${limit}.jsonl`);
  fs.mkdirSync(BENCH_CACHE, { recursive: true });
  fs.writeFileSync(file, chosen.map((p) => JSON.stringify(p)).join('\n'));
  return { files: [file], papers: chosen };
}

async function indexOnce(files: string[], indexDir: string, workers: number): Promise<IndexSummary> {
  const config = loadConfig();
  return runIndexer({ inputs: files, indexDir, model: config.model, modelsDir: config.modelsDir, allowRemote: false, prune: true, workers });
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const corpus = String(args.corpus ?? 'sample');
  if (!(corpus in CORPORA)) throw new Error(`--corpus must be one of ${Object.keys(CORPORA).join(', ')}`);
  const limit = Number(args.limit ?? Infinity);
  const { files, papers } = await inputsFor(corpus, limit);
  const texts = papers.map((p) => documentText(p));
  console.error(`index: ${texts.length} ${corpus} papers`);

  const config = loadConfig();
  const embedder = await createEmbedder(config.model, { modelsDir: config.modelsDir, allowRemote: false });
  await embedder.embedDocuments(texts.slice(0, 2)); // warm-up, as the pool's workers load their model before timing starts too
  const raw = await timeIt(async () => {
    for (let i = 0; i < texts.length; i += BATCH) await embedder.embedDocuments(texts.slice(i, i + BATCH));
  });
  const rawPerS = texts.length / (raw.ms / 1000);
  console.error(`  raw model: ${rawPerS.toFixed(2)} texts/s`);

  const runs: Record<string, IndexSummary> = {};
  for (const workers of [1, 2]) {
    const dir = path.join(BENCH_CACHE, `index-bench-${corpus}-${workers}w`);
    fs.rmSync(dir, { recursive: true, force: true });
    runs[workers] = await indexOnce(files, dir, workers);
    console.error(`  ${workers} worker(s): ${runs[workers].seconds} s ${JSON.stringify(runs[workers].timings)}`);
  }
  const rerunDir = path.join(BENCH_CACHE, `index-bench-${corpus}-2w`);
  const rerun = await indexOnce(files, rerunDir, 2);
  for (const workers of [1, 2]) fs.rmSync(path.join(BENCH_CACHE, `index-bench-${corpus}-${workers}w`), { recursive: true, force: true });

  const perS = (s: IndexSummary) => round(s.indexed / s.seconds, 2);
  return {
    papers_per_s: perS(runs[1]),
    raw_model_per_s: round(rawPerS, 2),
    ratio_to_raw: round(perS(runs[1]) / rawPerS, 3),
    speedup_2_workers: round(runs[1].seconds / runs[2].seconds, 2),
    papers_per_s_2_workers: perS(runs[2]),
    rerun_unchanged_s: rerun.seconds,
    rerun_embedded: rerun.embedded,
    corpus,
    papers: texts.length,
    batch_size: BATCH,
    timings_1_worker: runs[1].timings,
    timings_2_workers: runs[2].timings,
    seconds_1_worker: runs[1].seconds,
    seconds_2_workers: runs[2].seconds,
    model: config.model,
    machine: { cores: os.availableParallelism(), shared: true },
    notes: 'papers_per_s and ratio_to_raw are for 1 worker against the model on one thread; papers/s count the whole indexer run (read, embed, LanceDB write, ANN build, publish)',
  };
}
