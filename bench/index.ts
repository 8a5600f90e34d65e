/**
 * Indexing throughput: the whole indexer (read → embed → write → ANN → publish)
 * with 1 and 2 embedding workers (`--workers 1,2`), beside the embedding model
 * alone on the same texts and batch size in the same run, and a re-run on
 * unchanged input; each step's share of the run. `--corpus synthetic --papers N`
 * indexes N synthetic papers made from the sample's text, for collections
 * larger than the sample (`--model` picks a faster model for those).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createEmbedder, documentText } from '../src/embed/create-embedder.ts';
import { readInputs, SAMPLE_INPUTS } from '../indexer/readers/index.ts';
import { splitSentences } from '../src/text/sentences.ts';
import type { Paper } from '../src/types.ts';
import { runIndexer, type IndexSummary } from '../indexer/pipeline.ts';
import type { BenchArgs } from './run.ts';
import { round, timeIt } from './stats.ts';
import { BENCH_CACHE } from './vectors.ts';
import { SCIFACT_DIR } from './query-texts.ts';

/** The embed pool's default batch, used for the raw-model figure too. */
const BATCH = 16;
/** The raw model's rate is a per-text rate: timed on at most this many texts, so that large runs do not pay for it twice. */
const RAW_TEXTS = 2_000;

const CORPORA: Record<string, string[]> = {
  sample: SAMPLE_INPUTS,
  scifact: [path.join(SCIFACT_DIR, 'corpus.jsonl.gz')],
};

/**
 * `n` papers made from the sample's: paper i joins the first half of one sample
 * paper's sentences to the second half of another's (a distinct pair for each i,
 * up to 2,041 × 2,040 papers), titled after both, so that every text is new to the
 * model and no two papers are duplicates.
 */
function synthesize(sample: Paper[], n: number): Paper[] {
  const m = sample.length;
  if (n > m * (m - 1)) throw new Error(`--papers must be at most ${m * (m - 1)}`);
  const sentences = sample.map((p) => splitSentences(p.abstract));
  return Array.from({ length: n }, (_, i) => {
    const a = i % m;
    const b = (a + 1 + Math.floor(i / m)) % m;
    const [sa, sb] = [sentences[a], sentences[b]];
    const abstract = [...sa.slice(0, Math.ceil(sa.length / 2)), ...sb.slice(Math.ceil(sb.length / 2))].join(' ');
    return { ...sample[a], id: `synthetic-${i}`, title: `${sample[a].title} and ${sample[b].title}`, abstract, url: null };
  });
}

/** The papers to index, as one generic JSON-lines file unless they are a whole corpus's input files, so that every run indexes the same papers. */
async function inputsFor(corpus: string, limit: number, synthetic: number): Promise<{ files: string[]; papers: Paper[] }> {
  const { papers } = await readInputs(CORPORA[corpus]);
  const chosen = synthetic ? synthesize(papers, synthetic) : papers.slice(0, limit);
  if (chosen.length === papers.length && !synthetic) return { files: CORPORA[corpus], papers };
  const file = path.join(BENCH_CACHE, synthetic ? `index-input-synthetic-${synthetic}.jsonl` : `index-input-${corpus}-${limit}.jsonl`);
  fs.mkdirSync(BENCH_CACHE, { recursive: true });
  fs.writeFileSync(file, chosen.map((p) => JSON.stringify(p)).join('\n'));
  return { files: [file], papers: chosen };
}

async function indexOnce(files: string[], indexDir: string, workers: number, model: string): Promise<IndexSummary> {
  const config = loadConfig();
  return runIndexer({ inputs: files, indexDir, model, modelsDir: config.modelsDir, allowRemote: false, prune: true, workers });
}

/** Each step's share of the run's wall time; build_ann runs on its own thread beside the steps after embedding, so shares may sum past 1. */
function shares(summary: IndexSummary): Record<string, number> {
  return Object.fromEntries(Object.entries(summary.timings).map(([step, s]) => [step, round(s / summary.seconds, 3)]));
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const synthetic = args.corpus === 'synthetic' ? Number(args.papers ?? 100_000) : 0;
  const corpus = synthetic ? 'sample' : String(args.corpus ?? 'sample');
  if (!(corpus in CORPORA)) throw new Error(`--corpus must be one of ${[...Object.keys(CORPORA), 'synthetic'].join(', ')}`);
  if (synthetic && !(Number.isInteger(synthetic) && synthetic > 0)) throw new Error('--papers must be a positive whole number');
  const limit = Number(args.limit ?? Infinity);
  const workerCounts = String(args.workers ?? '1,2').split(',').map(Number);
  if (!workerCounts.every((w) => Number.isInteger(w) && w > 0)) throw new Error('--workers must list positive whole numbers, e.g. 1,2');
  const config = loadConfig();
  const model = String(args.model ?? config.model);
  const { files, papers } = await inputsFor(corpus, limit, synthetic);
  const texts = papers.map((p) => documentText(p));
  const name = synthetic ? 'synthetic' : corpus;
  console.error(`index: ${texts.length} ${name} papers, model ${model}`);

  const embedder = await createEmbedder(model, { modelsDir: config.modelsDir, allowRemote: false });
  await embedder.embedDocuments(texts.slice(0, 2)); // warm-up, as the pool's workers load their model before timing starts too
  const rawTexts = texts.slice(0, RAW_TEXTS);
  const raw = await timeIt(async () => {
    for (let i = 0; i < rawTexts.length; i += BATCH) await embedder.embedDocuments(rawTexts.slice(i, i + BATCH));
  });
  const rawPerS = rawTexts.length / (raw.ms / 1000);
  console.error(`  raw model: ${rawPerS.toFixed(2)} texts/s`);

  const runs: Record<number, IndexSummary> = {};
  const cpuSeconds: Record<number, number> = {};
  const dirFor = (workers: number) => path.join(BENCH_CACHE, `index-bench-${name}-${workers}w`);
  for (const workers of workerCounts) {
    fs.rmSync(dirFor(workers), { recursive: true, force: true });
    const cpu = process.cpuUsage();
    runs[workers] = await indexOnce(files, dirFor(workers), workers, model);
    const used = process.cpuUsage(cpu);
    cpuSeconds[workers] = round((used.user + used.system) / 1e6, 1);
    console.error(`  ${workers} worker(s): ${runs[workers].seconds} s ${JSON.stringify(runs[workers].timings)}`);
  }
  const last = workerCounts[workerCounts.length - 1];
  const rerun = await indexOnce(files, dirFor(last), last, model);
  for (const workers of workerCounts) fs.rmSync(dirFor(workers), { recursive: true, force: true });

  const perS = (s: IndexSummary) => round(s.indexed / s.seconds, 2);
  const byWorkers = (f: (s: IndexSummary) => unknown) => Object.fromEntries(workerCounts.map((w) => [`${w}_worker${w > 1 ? 's' : ''}`, f(runs[w])]));
  const first = runs[workerCounts[0]];
  return {
    papers_per_s: byWorkers(perS),
    raw_model_per_s: round(rawPerS, 2),
    ratio_to_raw: round(perS(first) / (rawPerS * workerCounts[0]), 3),
    ...(runs[1] && runs[2] ? { speedup_2_workers: round(runs[1].seconds / runs[2].seconds, 2) } : {}),
    rerun_unchanged_s: rerun.seconds,
    rerun_embedded: rerun.embedded,
    corpus: name,
    papers: texts.length,
    batch_size: BATCH,
    seconds: byWorkers((s) => s.seconds),
    // All threads of this process (embedding and graph workers too): on a shared machine the CPU a run needed, where wall time also counts waiting for the cores.
    cpu_seconds: Object.fromEntries(workerCounts.map((w) => [`${w}_worker${w > 1 ? 's' : ''}`, cpuSeconds[w]])),
    timings: byWorkers((s) => s.timings),
    step_shares: byWorkers(shares),
    model,
    machine: { cores: os.availableParallelism(), shared: true },
    notes:
      `papers/s count the whole indexer run (read, embed, LanceDB write, ANN build, topics, map, publish); ratio_to_raw compares the first worker count against the model alone on one thread (timed on up to ${RAW_TEXTS} texts) times that count; ` +
      'build_ann runs on a worker thread beside the writes, topics and map, so step shares can sum past 1' +
      (synthetic ? `; synthetic: each paper joins halves of two sample abstracts (${papers.length} distinct pairs)` : ''),
  };
}
