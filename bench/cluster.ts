/**
 * `npm run bench -- cluster [--json] [--model use-lite:16] [--per-run 300] [--probes 20] [--cluster-dir DIR]`
 *
 * The distributed write path on this machine, on real Redis and one-node Ceph
 * (started on free ports, or reused with --cluster-dir):
 * - embedding throughput with 1, 2 and 4 worker processes (one thread each),
 *   `--per-run` new papers each, from submit until every paper is in the commit
 *   queue; against the raw model (one thread, in this process, same texts);
 *   worker CPU seconds per paper besides (a shared machine's wall clock varies);
 * - a 2,000-paper collection (the arXiv sample) through workers, committer and
 *   builder into a build on S3, served by a replica (`INDEX_URL`); then
 *   `--probes` papers POSTed to the replica one every 3 s, each timed until the
 *   replica serves it (GET /api/papers/:id answers 200);
 * - the builder's publish time (upload + compare-and-swap, from its log), and
 *   replica catch-up (`replicaCatchUp`): from CURRENT moving to the replica serving that build;
 * - search p50 on the replica vs a plain single-machine server on a copy of the
 *   same build (`compareSearchP50`, bench/replica.ts).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { REPO_ROOT } from '../src/config.ts';
import { readInputs } from '../indexer/readers/index.ts';
import { contentHash } from '../src/text/normalize.ts';
import { createEmbedPool } from '../src/embed/embed-pool.ts';
import { documentText } from '../src/embed/create-embedder.ts';
import { commitQueueName, openBullmqQueue, redisConnection } from '../src/ingest/bullmq-queue.ts';
import type { IngestQueue } from '../src/ingest/queue.ts';
import { openObjectStore } from '../src/remote/open-store.ts';
import { buildKey, readRemoteCurrent } from '../src/remote/publish-build.ts';
import { downloadBuild } from '../src/remote/replica.ts';
import { setCurrent } from '../src/store/build-dir.ts';
import type { StoredPaper } from '../src/types.ts';
import { freePort, stopAll } from '../scripts/cluster/processes.ts';
import { STOP_ORDER, readServices, serviceEnv, startServices, type ClusterServices } from '../scripts/cluster/services.ts';
import { startScript, type ChildScript } from '../test/helpers/server-process.ts';
import { percentiles, round } from './stats.ts';
import { compareSearchP50, cpuSeconds, replicaCatchUp } from './replica.ts';
import type { BenchArgs } from './run.ts';

const KEY = 'ps_bench_cluster_0c4e8a1f6b2d9e73';
const log = (...a: unknown[]) => console.error('[cluster]', ...a);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function corpus(): Promise<StoredPaper[]> {
  const { papers } = await readInputs([path.join(REPO_ROOT, 'data', 'arxiv-metadata-first2000.jsonl')]);
  return papers.map((p) => ({ ...p, contentHash: contentHash(p) }));
}

const loadavg = () => os.loadavg().map((x) => round(x, 2));

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const model = String(args.model ?? 'use-lite:16');
  const perRun = Number(args['per-run'] ?? 300);
  const probes = Number(args.probes ?? 20);
  const papers = await corpus();
  if (papers.length < 3 * perRun) throw new Error(`--per-run ${perRun} needs ${3 * perRun} papers; the sample has ${papers.length}`);
  const loadStart = loadavg();

  let services: ClusterServices;
  let runDir: string | null = null;
  if (args['cluster-dir']) {
    services = (await readServices(String(args['cluster-dir'])))!;
    if (!services) throw new Error(`no running cluster in ${args['cluster-dir']}`);
  } else {
    runDir = await fs.mkdtemp(path.join(os.tmpdir(), 'paperscope-bench-cluster-'));
    log('starting Redis and Ceph');
    services = await startServices(runDir, { redis: await freePort(), cephMon: await freePort(), rgw: await freePort() });
  }
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const indexUrl = `s3://${services.s3.bucket}/${prefix}/index`;
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'paperscope-bench-cluster-dirs-'));
  const env: Record<string, string> = {
    ...serviceEnv(services),
    LOG_LEVEL: 'info',
    QUEUE_PREFIX: prefix,
    MODEL: model,
    COMMIT_PARTITIONS: '1',
    TABLE_URI: `s3://${services.s3.bucket}/${prefix}/table`,
    INDEX_URL: indexUrl,
    WORKER_THREADS: '1',
    QUERY_WORKERS: '1',
    API_KEYS: KEY,
    // The defaults of a real deployment, reported with the result.
    BUILD_INTERVAL_S: String(args['build-interval-s'] ?? 10),
    COMMIT_BATCH_MS: String(args['commit-batch-ms'] ?? 2000),
    // Search latency is measured here, not the rate limiter.
    RATE_LIMIT_PER_MINUTE: '0',
    // A shared machine under load answers a write slower than the 10-s default deadline.
    REQUEST_DEADLINE_MS: '120000',
  };
  const children: ChildScript[] = [];
  const start = async (name: string, script: string, ready: RegExp, extra: Record<string, string> = {}) => {
    log(`starting ${name}`);
    const child = await startScript(script, { ...env, ...extra }, ready, 400_000);
    children.push(child);
    return child;
  };
  const queue: IngestQueue = await openBullmqQueue({ redisUrl: services.redisUrl, prefix, partitions: 1, attempts: 3 });
  const redis = redisConnection(services.redisUrl);
  const commitQueue = new Queue(commitQueueName(0), { connection: redis, prefix });
  const store = openObjectStore(indexUrl, env);

  try {
    // Raw model: the same work as one worker thread, without queues.
    const rawTexts = papers.slice(0, perRun).map(documentText);
    const pool = await createEmbedPool(model, { modelsDir: path.join(REPO_ROOT, 'models'), allowRemote: false }, 1, 16);
    await pool.embedDocuments(rawTexts.slice(0, 16));
    const r0 = performance.now();
    const c0 = process.cpuUsage();
    await pool.embedDocuments(rawTexts);
    const rawS = (performance.now() - r0) / 1000;
    const rawCpu = process.cpuUsage(c0);
    await pool.close();
    const rawPerS = perRun / rawS;
    log(`raw model: ${round(rawPerS, 2)} papers/s`);

    // 1, 2, 4 workers; each run embeds its own slice of new papers.
    const workers: ChildScript[] = [];
    const papersPerS: Record<string, number> = {};
    const cpuPerPaper: Record<string, number> = {};
    let queued = 0;
    for (const [i, count] of [1, 2, 4].entries()) {
      while (workers.length < count) workers.push(await start(`worker ${workers.length + 1}`, 'src/ingest/worker.ts', /embedding worker ready/));
      const slice = papers.slice(i * perRun, (i + 1) * perRun);
      const cpu0 = workers.map((w) => cpuSeconds(w.child.pid!));
      const t0 = performance.now();
      await queue.submit(slice.map((paper) => ({ kind: 'upsert' as const, paper })));
      queued += slice.length;
      await waitFor(`${count} workers`, async () => (await commitQueue.getJobCounts('waiting'))['waiting']! >= queued, 1_800_000, 100);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = workers.map((w) => cpuSeconds(w.child.pid!)).reduce((a, c, k) => a + c - cpu0[k]!, 0);
      papersPerS[count] = round(perRun / seconds, 2);
      cpuPerPaper[count] = round(cpu / perRun, 4);
      log(`${count} worker(s): ${papersPerS[count]} papers/s, ${cpuPerPaper[count]} CPU s per paper, load ${loadavg().join(' ')}`);
    }
    // Two workers keep embedding for the rest (two cores).
    for (const w of workers.splice(2)) await w.stop();

    // The 2,000-paper collection: committer and builder take over; the rest of the sample is submitted.
    await start('committer', 'src/ingest/committer.ts', /committer ready/);
    const builder = await start('builder', 'src/ingest/builder.ts', /builder ready/);
    await queue.submit(papers.slice(queued).map((paper) => ({ kind: 'upsert' as const, paper })));
    const collection = papers.length;
    const manifestCount = async (buildId: string) => JSON.parse((await store.get(buildKey(buildId, 'manifest.json')))!.body.toString('utf8')).count as number;
    // Progress every 30 s: on a loaded machine this phase takes many minutes, and a stuck stage shows here.
    let told = Date.now();
    const full = await waitFor(
      `a build of all ${collection} papers`,
      async () => {
        const current = await readRemoteCurrent(store);
        const built = current ? await manifestCount(current.buildId) : 0;
        if (Date.now() - told > 30_000) {
          told = Date.now();
          const committed = (await commitQueue.getJobCounts('completed'))['completed'];
          log(`${committed} of ${collection} committed, CURRENT ${current?.buildId ?? '(none)'} with ${built} papers, load ${loadavg().join(' ')}`);
        }
        return current && built >= collection ? current : null;
      },
      3_600_000,
      1000,
    );
    log(`collection built: ${full.buildId}`);

    const replicaDir = path.join(scratch, 'replica');
    const replica = await start('replica', 'src/server.ts', /"url":"(http:\/\/[^"]+)".*Paperscope is serving/, { PORT: '0', HOST: '127.0.0.1', INDEX_DIR: replicaDir });
    const replicaUrl = replica.ready[1]!;
    const servedBuild = async () => ((await (await fetch(`${replicaUrl}/health`)).json()) as { build?: string }).build ?? null;

    // Catch-up: each CURRENT move seen here, to the replica serving it.
    const catchUps: number[] = [];
    let watching = true;
    const watcher = (async () => {
      let last = full.buildId;
      while (watching) {
        const current = await readRemoteCurrent(store);
        if (current && current.buildId !== last) {
          last = current.buildId;
          // Measured from when this loop saw CURRENT move (at most 100 ms late).
          void replicaCatchUp([replicaUrl], last, 600_000).then(
            (seconds) => catchUps.push(seconds),
            () => undefined,
          );
        }
        await sleep(100);
      }
    })();

    // Probes: new papers posted to the replica's API, each timed until the replica serves it.
    const probeTimes = await Promise.all(
      Array.from({ length: probes }, async (_, i) => {
        await sleep(i * 3000);
        const id = `${prefix}-probe-${i}`;
        const t0 = performance.now();
        const res = await fetch(`${replicaUrl}/api/papers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ id, title: `Probe ${i}: incremental indexing of a living paper collection`, abstract: `Paper ${i} posted by the cluster benchmark to time how long a new paper takes to become searchable.`, authors: ['Bench Mark'], year: 2026 }),
        });
        if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
        await waitFor(`probe ${i} to be served`, async () => (await fetch(`${replicaUrl}/api/papers/${encodeURIComponent(id)}`)).status === 200, 900_000, 250);
        const seconds = (performance.now() - t0) / 1000;
        log(`probe ${i} searchable after ${round(seconds, 2)} s, load ${loadavg().join(' ')}`);
        return seconds;
      }),
    );
    watching = false;
    await watcher;
    log(`probes served: p50 ${percentiles(probeTimes).p50} s`);

    // Replica vs single machine on the same build.
    const build = (await servedBuild())!;
    const singleDir = path.join(scratch, 'single');
    await fs.mkdir(singleDir, { recursive: true });
    await setCurrent(singleDir, await downloadBuild(store, singleDir, build));
    const single = await start('single-machine server', 'src/server.ts', /"url":"(http:\/\/[^"]+)".*Paperscope is serving/, {
      PORT: '0',
      HOST: '127.0.0.1',
      INDEX_DIR: singleDir,
      INDEX_URL: '',
      REDIS_URL: '',
    });
    const singleUrl = single.ready[1]!;
    const queries = papers.slice(0, 200).map((p) => p.title.split(/\s+/).slice(0, 5).join(' '));
    const searchP50 = await compareSearchP50(replicaUrl, singleUrl, queries);

    const published = builder
      .output()
      .split('\n')
      .filter((l) => l.includes('"msg":"build: published"'))
      .map((l) => JSON.parse(l) as { seconds: { read: number; build: number; publish: number }; papers: number });
    const atSize = published.filter((b) => b.papers >= collection);
    const median = (xs: number[]) => percentiles(xs).p50!;
    return {
      model,
      machine: { cores: os.availableParallelism(), loadavg_start: loadStart, loadavg_end: loadavg() },
      per_run: perRun,
      raw_model_papers_per_s: round(rawPerS, 2),
      raw_model_cpu_s_per_paper: round((rawCpu.user + rawCpu.system) / 1e6 / perRun, 4),
      papers_per_s: papersPerS,
      worker_cpu_s_per_paper: cpuPerPaper,
      ratio_to_raw: Object.fromEntries(Object.entries(papersPerS).map(([k, v]) => [k, round(v / rawPerS, 3)])),
      speedup_2_workers: round(papersPerS[2]! / papersPerS[1]!, 3),
      speedup_4_workers: round(papersPerS[4]! / papersPerS[1]!, 3),
      collection_papers: collection,
      probes,
      post_to_searchable_s: probeTimes.map((t) => round(t, 2)),
      post_to_searchable_p50_s: round(median(probeTimes), 2),
      post_to_searchable_p99_s: round(percentiles(probeTimes).p99!, 2),
      builds_at_size: atSize.length,
      build_s: round(median(atSize.map((b) => b.seconds.build)), 2),
      publish_s: round(median(atSize.map((b) => b.seconds.publish)), 2),
      replica_catch_up_s: catchUps.length ? round(median(catchUps), 2) : null,
      replica_catch_ups: catchUps.length,
      ...searchP50,
      settings: { BUILD_INTERVAL_S: env.BUILD_INTERVAL_S, COMMIT_BATCH_MS: env.COMMIT_BATCH_MS, WORKER_THREADS: '1', WORKER_BATCH: '16' },
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await commitQueue.close();
    redis.disconnect();
    await queue.close();
    store.close();
    await fs.rm(scratch, { recursive: true, force: true });
    if (runDir) {
      await stopAll(runDir, STOP_ORDER);
      await fs.rm(runDir, { recursive: true, force: true });
    }
  }
}
