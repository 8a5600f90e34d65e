/**
 * Start-up time and memory of the service over synthetic indexes of 100k and
 * 1M papers: texts of the sample papers repeated under new ids, vectors from
 * the shared synthetic corpus, a real build folder written by the product's
 * own store functions.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StoredPaper } from '../src/types.ts';
import { DEFAULT_ANN_PARAMS, loadAnnIndex, saveAnnIndex } from '../src/store/ann-index.ts';
import { createBuildDir, currentBuildDir, publishBuild } from '../src/store/build-dir.ts';
import { FORMAT_VERSION, MANIFEST_FILE, readManifest, writeManifest } from '../src/store/manifest.ts';
import { describeBuildFiles } from '../src/store/build-files.ts';
import { readPapersTable, writePapersTable } from '../src/store/papers-table.ts';
import { createSearchIndex, loadIndex } from '../src/store/load-index.ts';
import { openPaperFile, savePaperFile } from '../src/store/paper-file.ts';
import { openVectorFile, saveVectorFile } from '../src/store/vector-file.ts';
import type { BenchArgs } from './run.ts';
import { round, timeIt } from './stats.ts';
import { BENCH_CACHE, SAMPLE_INDEX_DIR, realVectors, row, syntheticCorpus } from './vectors.ts';
import { cachedHnsw } from './hnsw-cache.ts';
import { startServerProcess, type ServerEntry } from './server-process.ts';
import { processTreeCpu } from './process-cpu.ts';
import { firstRun } from './first-run.ts';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { REPO_ROOT } from '../src/config.ts';
import { percentiles } from './stats.ts';
import { indexTerms, keywordIndexFrom } from '../src/search/keyword-index.ts';
import { loadKeywordPostings, saveKeywordPostings } from '../src/store/keyword-file.ts';

function du(dir: string): number {
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}

async function syntheticIndex(n: number): Promise<string> {
  const indexDir = path.join(BENCH_CACHE, `startup-${n}`);
  const existing = await currentBuildDir(indexDir);
  if (existing && (await readManifest(existing, { anyFormat: true })).formatVersion === FORMAT_VERSION) return indexDir;
  fs.rmSync(indexDir, { recursive: true, force: true });
  console.error(`startup: writing a synthetic index of ${n} papers in ${indexDir} ...`);
  const sample = (await readPapersTable((await currentBuildDir(SAMPLE_INDEX_DIR))!)).map((r) => r.paper);
  const { corpus } = await syntheticCorpus(n);
  const rows = Array.from({ length: n }, (_, i) => {
    const base = sample[i % sample.length];
    const paper: StoredPaper = { ...base, id: `synthetic-${i}`, contentHash: `synthetic-${i}` };
    return { paper, vector: row(corpus, i) };
  });
  const buildDir = await createBuildDir(indexDir);
  await writePapersTable(buildDir, rows, corpus.dim);
  await savePaperFile(buildDir, rows.map((r) => r.paper));
  await saveVectorFile(buildDir, rows.map((r) => r.vector), corpus.dim);
  const { index, buildS } = await cachedHnsw(corpus, DEFAULT_ANN_PARAMS);
  await saveAnnIndex(buildDir, index, rows.map((r) => r.paper.id));
  await saveKeywordPostings(buildDir, indexTerms(rows.map((r) => r.paper)));
  const model = (await readManifest((await currentBuildDir(SAMPLE_INDEX_DIR))!)).model;
  await writeManifest(buildDir, {
    formatVersion: FORMAT_VERSION,
    model,
    dimension: corpus.dim,
    count: n,
    ann: DEFAULT_ANN_PARAMS,
    builtAt: new Date().toISOString(),
    timings: { build_ann: buildS },
    files: await describeBuildFiles(buildDir, [MANIFEST_FILE]),
  });
  await publishBuild(indexDir, buildDir);
  return indexDir;
}

/** The stages of loadIndex(), timed in this process, to show where start-up time goes. */
async function loadStages(indexDir: string): Promise<Record<string, number>> {
  const buildDir = (await currentBuildDir(indexDir))!;
  const manifest = await readManifest(buildDir);
  const papers = await timeIt(() => openPaperFile(buildDir));
  const ann = await timeIt(() => loadAnnIndex(buildDir, manifest.dimension, manifest.ann));
  const keyword = await timeIt(async () => keywordIndexFrom(await loadKeywordPostings(buildDir), (doc) => papers.value.get(doc)));
  const index = await timeIt(() => createSearchIndex(buildDir, manifest, papers.value, ann.value, keyword.value, openVectorFile(buildDir, manifest.dimension, manifest.count)));
  const whole = await timeIt(() => loadIndex(indexDir));
  return {
    read_paper_file_s: round(papers.ms / 1000, 2),
    read_ann_s: round(ann.ms / 1000, 2),
    read_keyword_s: round(keyword.ms / 1000, 2),
    create_search_index_s: round(index.ms / 1000, 2),
    load_index_s: round(whole.ms / 1000, 2),
  };
}

async function measure(indexDir: string, papers: number): Promise<Record<string, number>> {
  const server = await startServerProcess(indexDir, {}, 600_000);
  try {
    const rss = server.rssMb();
    const res = await fetch(`${server.url}/api/search?q=${encodeURIComponent('graph neural networks for molecules')}&k=10`);
    if (!res.ok) throw new Error(`search failed with HTTP ${res.status}`);
    const buildDir = (await currentBuildDir(indexDir))!;
    return { papers, startup_s: round(server.readyMs / 1000, 2), rss_mb: rss, rss_after_first_search_mb: server.rssMb(), disk_mb: round(du(buildDir) / 2 ** 20, 1) };
  } finally {
    await server.stop();
  }
}

/**
 * Cold start on an existing index, from the TypeScript sources (tsx, as
 * `npm start` ran before) and compiled (dist/, as it runs now), alternating:
 * spawn until /api/stats answers, and the server's CPU seconds by then.
 */
async function coldStart(args: BenchArgs): Promise<Record<string, unknown>> {
  const indexDir = path.resolve(String(args.index ?? SAMPLE_INDEX_DIR));
  const runs = Number(args.runs ?? 5);
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  const seen: Record<ServerEntry, { s: number[]; cpu: number[] }> = { source: { s: [], cpu: [] }, compiled: { s: [], cpu: [] } };
  const loads: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const entry of ['source', 'compiled'] as const) {
      const server = await startServerProcess(indexDir, {}, 600_000, entry);
      const cpu = processTreeCpu(server.pid);
      cpu.sample();
      seen[entry].s.push(server.readyMs / 1000);
      seen[entry].cpu.push(cpu.cpuSeconds());
      loads.push(os.loadavg()[0]);
      await server.stop();
      console.error(`startup --cold: ${entry} ${round(server.readyMs / 1000, 2)} s, ${round(cpu.cpuSeconds(), 2)} CPU-s`);
    }
  }
  const median = (v: number[]) => round(percentiles(v, [50]).p50, 2);
  return {
    index_dir: indexDir,
    runs,
    source_ready_s: median(seen.source.s),
    compiled_ready_s: median(seen.compiled.s),
    source_cpu_s: median(seen.source.cpu),
    compiled_cpu_s: median(seen.compiled.cpu),
    compiled_vs_source_ready: round(median(seen.compiled.s) / median(seen.source.s), 2),
    compiled_vs_source_cpu: round(median(seen.compiled.cpu) / median(seen.source.cpu), 2),
    load1_mean: round(loads.reduce((a, b) => a + b, 0) / loads.length, 2),
    notes: 'medians over runs; ready = spawn of node (source: --import tsx src/server.ts; compiled: dist/src/server.js) until /api/stats answers; cpu = the server process (all its threads) by then',
  };
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  if (args['first-run']) return firstRun(args);
  if (args.cold) return coldStart(args);
  const sizes = String(args.sizes ?? args.n ?? '100000').split(',').map(Number);
  const sample = await realVectors();
  const baseline = await measure(SAMPLE_INDEX_DIR, sample.n);
  const runs: Record<string, unknown>[] = [];
  for (const n of sizes) {
    const dir = await syntheticIndex(n);
    const m = { ...(await measure(dir, n)), ...(await loadStages(dir)) };
    const perPaper = (key: 'rss_mb' | 'disk_mb') => round(((m[key] - (key === 'rss_mb' ? baseline.rss_mb : 0)) * 2 ** 20) / n, 0);
    runs.push({ ...m, rss_bytes_per_paper: perPaper('rss_mb'), disk_bytes_per_paper: perPaper('disk_mb') });
    console.error(`startup: ${JSON.stringify(runs[runs.length - 1])}`);
  }
  return {
    sample: baseline,
    runs,
    notes:
      'startup_s = spawn of `node --import tsx src/server.ts` until /api/stats answers (includes tsx start-up, the query threads loading and warming up the model, and the index load); ' +
      'rss_bytes_per_paper = (RSS − RSS with the 2,041-paper sample index) / papers; papers reuse the sample texts, vectors are the synthetic corpus',
  };
}
