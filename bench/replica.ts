/**
 * Replica figures (issue #11): how long a replica takes to serve a build after
 * CURRENT moves (catch-up), and a replica's search p50 against the
 * single-machine server on the same build (goal: within 10%). The two measuring
 * functions are what `bench cluster` calls; `npm run bench -- replica --json`
 * runs them alone:
 *
 *   source .cluster/env && npm run bench -- replica --json [--index DIR] [--rounds 3] [--queries 200]
 *
 * The store is a fresh s3://$S3_BUCKET/bench-replica-<id> when S3_* is set (a
 * Redis hint too with REDIS_URL), else a temporary folder; it is removed after. The index
 * defaults to the 2,041-paper sample built with MODEL=use-lite:16 (cached in
 * .cache/bench). Both servers run as child processes on this machine, so the
 * p50s are measured under the same load; their CPU seconds are reported too.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runIndexer } from '../indexer/pipeline.ts';
import { SAMPLE_INPUTS } from '../indexer/readers/index.ts';
import { REPO_ROOT, loadConfig } from '../src/config.ts';
import { currentBuildDir } from '../src/store/build-dir.ts';
import { readManifest } from '../src/store/manifest.ts';
import { openObjectStore } from '../src/remote/open-store.ts';
import { redisCurrentHint } from '../src/remote/current-hint.ts';
import { publishBuild } from '../src/remote/publish-build.ts';
import type { BenchArgs } from './run.ts';
import { startServerProcess } from './server-process.ts';
import { percentiles, round } from './stats.ts';
import { BENCH_CACHE } from './vectors.ts';

const BENCH_MODEL = 'use-lite:16';
const DEFAULT_INDEX = path.join(BENCH_CACHE, 'sample-index-use-lite-16');
const START_TIMEOUT_MS = 400_000;

/**
 * Seconds from now until every server at `urls` reports `buildId` on /health
 * (call it right after CURRENT moved: that is the catch-up time).
 */
export async function replicaCatchUp(urls: string[], buildId: string, timeoutMs = 300_000): Promise<number> {
  const started = performance.now();
  const serving = async (url: string) => ((await (await fetch(`${url}/health`)).json()) as { build?: string }).build === buildId;
  while (performance.now() - started < timeoutMs) {
    if ((await Promise.all(urls.map(serving))).every(Boolean)) return (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${urls.join(', ')} not serving ${buildId} after ${timeoutMs / 1000} s`);
}

export interface P50Comparison {
  replica_p50_ms: number;
  single_p50_ms: number;
  /** replica p50 ÷ single-machine p50 (goal ≤ 1.1). */
  replica_p50_ratio: number;
}

/**
 * Search latency on a replica and on a single-machine server answering from
 * the same build: the same queries, one at a time, alternating which server
 * goes first so that machine load falls on both alike. Each query is new to
 * both (no answer cache); a warm-up pass of other queries comes first.
 */
export async function compareSearchP50(replicaUrl: string, singleUrl: string, queries: string[], warmup = 20): Promise<P50Comparison> {
  const time = async (url: string, q: string) => {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/search?q=${encodeURIComponent(q)}&k=10`);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}: search answered ${res.status}`);
    return performance.now() - t0;
  };
  for (const q of queries.slice(0, warmup)) await Promise.all([time(replicaUrl, `${q} warm`), time(singleUrl, `${q} warm`)]);
  const replica: number[] = [];
  const single: number[] = [];
  for (const [i, q] of queries.entries()) {
    if (i % 2) {
      replica.push(await time(replicaUrl, q));
      single.push(await time(singleUrl, q));
    } else {
      single.push(await time(singleUrl, q));
      replica.push(await time(replicaUrl, q));
    }
  }
  const r = percentiles(replica, [50]).p50!;
  const s = percentiles(single, [50]).p50!;
  return { replica_p50_ms: round(r, 2), single_p50_ms: round(s, 2), replica_p50_ratio: round(r / s, 3) };
}

/** utime + stime of a process, in seconds (Linux). */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The sample's titles, first five words each: queries that need no outside data. */
function titleQueries(n: number): string[] {
  const lines = fs.readFileSync(path.join(REPO_ROOT, 'data', 'arxiv-metadata-first2000.jsonl'), 'utf8').split('\n').filter(Boolean);
  return lines.slice(0, n).map((line) => (JSON.parse(line) as { title: string }).title.replace(/\s+/g, ' ').split(' ').slice(0, 5).join(' '));
}

async function benchIndex(indexDir: string): Promise<string> {
  if (!(await currentBuildDir(indexDir))) {
    if (indexDir !== DEFAULT_INDEX) throw new Error(`no index in ${indexDir}`);
    console.error(`building the sample index with ${BENCH_MODEL} in ${indexDir} ...`);
    const config = loadConfig();
    await runIndexer({ inputs: SAMPLE_INPUTS, indexDir, model: BENCH_MODEL, modelsDir: config.modelsDir, allowRemote: false, prune: true, workers: 2 });
  }
  return (await currentBuildDir(indexDir))!;
}

/** A store of this run's own, so that removing it afterwards touches nothing else. */
function benchStoreUrl(scratch: string): string {
  const run = `bench-replica-${randomUUID().slice(0, 8)}`;
  return process.env.S3_ENDPOINT && process.env.S3_BUCKET ? `s3://${process.env.S3_BUCKET}/${run}` : path.join(scratch, 'store');
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const rounds = Number(args.rounds ?? 3);
  const nQueries = Number(args.queries ?? 200);
  const buildDir = await benchIndex(path.resolve(String(args.index ?? DEFAULT_INDEX)));
  const manifest = await readManifest(buildDir);
  const scratch = await fsp.mkdtemp(path.join(os.tmpdir(), 'paperscope-bench-replica-'));
  const storeUrl = benchStoreUrl(scratch);
  const store = openObjectStore(storeUrl);
  const queuePrefix = `bench-${randomUUID().slice(0, 8)}`;
  const hint = process.env.REDIS_URL ? redisCurrentHint(process.env.REDIS_URL, queuePrefix, store) : undefined;
  const id = path.basename(buildDir);
  const env = { MODEL: manifest.model, RATE_LIMIT_PER_MINUTE: '0', QUERY_WORKERS: '1' };
  const servers: Awaited<ReturnType<typeof startServerProcess>>[] = [];
  try {
    const first = await publishBuild(store, buildDir, { buildId: `${id}-r0`, announcer: hint });
    console.error(`published ${first.files} files, ${round(first.bytes / 2 ** 20, 1)} MiB to ${store.url} in ${round(first.seconds, 2)} s; starting the servers`);
    // Side by side, with time to spare: on a busy shared machine a server can take minutes to load the model and the index.
    const [single, replica] = await Promise.all([
      startServerProcess(path.dirname(path.dirname(buildDir)), env, START_TIMEOUT_MS).then((s) => (servers.push(s), s)),
      startServerProcess(path.join(scratch, 'replica'), { ...env, INDEX_URL: storeUrl, QUEUE_PREFIX: queuePrefix, INDEX_POLL_MS: '1000' }, START_TIMEOUT_MS).then(
        (s) => (servers.push(s), s),
      ),
    ]);

    // Catch-up: the same build under a new id each round, so the replica downloads, verifies and loads it as it would a new one.
    const publishS: number[] = [];
    const catchUpS: number[] = [];
    for (let r = 1; r <= rounds; r++) {
      const published = await publishBuild(store, buildDir, { buildId: `${id}-r${r}`, announcer: hint });
      catchUpS.push(await replicaCatchUp([replica.url], published.buildId));
      publishS.push(published.seconds);
      console.error(`round ${r}: publish ${round(published.seconds, 2)} s, replica serving it ${round(catchUpS.at(-1)!, 2)} s later`);
    }

    const cpu0 = { replica: cpuSeconds(replica.pid), single: cpuSeconds(single.pid) };
    const load = os.loadavg()[0]!;
    const p50 = await compareSearchP50(replica.url, single.url, titleQueries(nQueries + 20).slice(20), 20);
    const cpu = { replica: round(cpuSeconds(replica.pid) - cpu0.replica, 2), single: round(cpuSeconds(single.pid) - cpu0.single, 2) };
    return {
      bench: 'replica',
      store: store.url.replace(/\/bench-replica-.*/, '/…'),
      hint: Boolean(hint),
      papers: manifest.count,
      model: manifest.model,
      build_mib: round(first.bytes / 2 ** 20, 1),
      publish_s: round(percentiles(publishS, [50]).p50!, 2),
      replica_catch_up_s: round(percentiles(catchUpS, [50]).p50!, 2),
      replica_catch_up_all_s: catchUpS.map((s) => round(s, 2)),
      queries: nQueries,
      ...p50,
      server_cpu_s_during_searches: cpu,
      load_avg_1m_before_searches: round(load, 2),
      cores: os.availableParallelism(),
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await store.deletePrefix('').catch(() => {});
    await hint?.close();
    store.close();
    await fsp.rm(scratch, { recursive: true, force: true });
  }
}
