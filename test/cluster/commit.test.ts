import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Queue, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runIndexer } from '../../indexer/pipeline.ts';
import { REPO_ROOT } from '../../src/config.ts';
import { commitQueueName, redisConnection } from '../../src/ingest/bullmq-queue.ts';
import { lancedbStorageOptions, s3Uri } from '../../src/remote/s3.ts';
import { openRecordTable, type RecordTable } from '../../src/store/record-table.ts';
import { SEED_FILE } from '../helpers/fixture-index.ts';
import { startScript, startServerProcess, type ChildScript, type ServerProcess } from '../helpers/server-process.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * The write path end to end on real Redis and radosgw: two writers POST
 * overlapping ids to the HTTP API at once, one worker embeds, and the
 * committers write the store of record (LanceDB on s3://). The committer that
 * holds the partitions is killed (SIGKILL) while it holds jobs; the standby
 * takes the partitions over once their leases lapse. Whatever happened on the
 * way, the table ends with every distinct id exactly once, deletes applied.
 * Sized small (the static model, 60 ids) so that it stays quick on a loaded machine.
 */
const { s3, redisUrl } = inject('cluster');
const prefix = `commit-${randomUUID().slice(0, 8)}`;
const MODEL = 'use-lite-static';
const KEY = `ps_test_commit_${randomUUID().replace(/-/g, '')}`;
const PARTITIONS = 2;
const tableUri = s3Uri(s3, `${prefix}/table`);
const env = {
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: prefix,
  MODEL,
  API_KEYS: KEY,
  COMMIT_PARTITIONS: String(PARTITIONS),
  TABLE_URI: tableUri,
  S3_ENDPOINT: s3.endpoint,
  S3_REGION: s3.region,
  S3_BUCKET: s3.bucket,
  S3_ACCESS_KEY_ID: s3.accessKeyId,
  S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  // A dead committer's partitions and jobs move to the standby after ~3 s instead of 10.
  COMMIT_LEASE_MS: '3000',
  // Jobs wait in the committer this long before their batch is written: the window in which it is killed.
  COMMIT_BATCH_MS: '1500',
  // A write that fails (e.g. two partitions' commits conflicting in LanceDB) is retried, never lost.
  INGEST_ATTEMPTS: '10',
  WORKER_THREADS: '1',
  WORKER_BATCH: '8',
  QUERY_WORKERS: '1',
  // A shared machine under load may answer a write slower than the 10-s default deadline.
  REQUEST_DEADLINE_MS: '120000',
  RATE_LIMIT_PER_MINUTE: '0',
};

/** The ids each writer posts, in order: 0-39 and 20-59, both starting with the ones they share. */
const WRITER_IDS = [[...range(20, 40), ...range(0, 20)], [...range(20, 40), ...range(40, 60)]] as const;
const DELETED = [range(0, 6), range(3, 10)] as const;
function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
const paperId = (n: number) => `c-${n}`;

/** Writer `w`'s version of paper n: on odd overlapping ids the two writers' contents differ (two jobs, one row), on even ones they are the same (one job). */
function record(n: number, w: number) {
  const version = n % 2 ? w : 0;
  return {
    id: paperId(n),
    title: `Committing paper ${n} from a queue into object storage`,
    abstract: `Version ${version} of paper ${n}: how partitioned writers keep a LanceDB table free of duplicate rows when committers fail.`,
    authors: ['Edsger Dijkstra'],
    year: 2026,
  };
}

let server: ServerProcess;
let worker: ChildScript;
const committers: ChildScript[] = [];
let redis: ReturnType<typeof redisConnection>;
let commitQueues: Queue[];
let table: RecordTable;

beforeAll(async () => {
  redis = redisConnection(redisUrl);
  commitQueues = Array.from({ length: PARTITIONS }, (_, p) => new Queue(commitQueueName(p), { connection: redis, prefix }));
  table = await openRecordTable({ uri: tableUri, storageOptions: lancedbStorageOptions(s3) });
});

afterAll(async () => {
  await Promise.all([server, worker, ...committers].filter(Boolean).map((c) => c.stop('SIGKILL')));
  await Promise.all((commitQueues ?? []).map((q) => q.close()));
  redis?.disconnect();
  table?.close();
});

async function api(method: string, url: string, body?: unknown): Promise<{ jobs: { id: string; paper_id: string }[] }> {
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status !== 202) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls GET /api/jobs/:id until every job is `done` or `failed`; their states. */
async function finished(ids: string[], timeoutMs = 240_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(ids.map(async (id) => ((await (await fetch(`${server.url}/api/jobs/${id}`)).json()) as { state: string }).state));
    if (states.every((s) => s === 'done' || s === 'failed')) return states;
    if (Date.now() > deadline) throw new Error(`jobs not finished within ${timeoutMs / 1000} s: ${JSON.stringify(states.filter((s) => s !== 'done'))}`);
    await sleep(250);
  }
}

/** The commit jobs `name` holds right now (BullMQ records the worker's name in the job hash as `pb`). */
async function heldBy(name: string): Promise<Job[]> {
  const active = (await Promise.all(commitQueues.map((q) => q.getActive()))).flat();
  const by = await Promise.all(active.map((j) => redis.hget(`${prefix}:${j.queueName}:${j.id}`, 'pb')));
  return active.filter((_, i) => by[i] === name);
}

const startCommitter = () => startScript('src/ingest/committer.ts', env, new RegExp(`("msg":"committer ready".*){${PARTITIONS}}`, 's'), 240_000);
const nameOf = (c: ChildScript) => new RegExp(`:${c.child.pid}$`);

describe('committing through the API into LanceDB on radosgw', () => {
  // Started in a test rather than a hook: model loads on a busy machine can take longer than a hook may.
  it('the API server, a worker, a committer holding both partitions and a standby start', { timeout: 400_000 }, async () => {
    const indexDir = await tempDir();
    // The API server serves reads from a build of the seed papers (same model); its writes go to BullMQ.
    await runIndexer({ inputs: [SEED_FILE], indexDir, model: MODEL, modelsDir: path.join(REPO_ROOT, 'models'), allowRemote: false, prune: false, workers: 1 });
    [server, worker] = await Promise.all([
      startServerProcess({ ...env, INDEX_DIR: indexDir }, 240_000),
      startScript('src/ingest/worker.ts', env, /embedding worker ready/, 240_000),
    ]);
    committers.push(await startCommitter());
    // The second waits for both leases: a hot standby.
    const standby = startScript('src/ingest/committer.ts', env, new RegExp(`("msg":"commit: partition held by another committer; standing by".*){${PARTITIONS}}`, 's'), 240_000);
    committers.push(await standby);
    const [holder] = committers as [ChildScript];
    for (let p = 0; p < PARTITIONS; p++) expect(await redis.get(`${prefix}:commit-lease-${p}`)).toMatch(nameOf(holder));
  });

  it('two writers post overlapping ids while the holding committer is killed: every distinct id once, deletes applied', { timeout: 600_000 }, async () => {
    const [victim, standby] = committers as [ChildScript, ChildScript];
    const victimName = (await redis.get(`${prefix}:commit-lease-0`))!;
    const standbyName = victimName.replace(/:\d+$/, `:${standby.child.pid}`);

    // Each writer posts its ids four at a time, a little apart.
    const jobIds = new Set<string>();
    const writer = async (w: number, from: number, to?: number) => {
      const ids = WRITER_IDS[w]!.slice(from, to);
      for (let i = 0; i < ids.length; i += 4) {
        const { jobs } = await api('POST', '/api/papers', { papers: ids.slice(i, i + 4).map((n) => record(n, w)) });
        jobs.forEach((j) => jobIds.add(j.id));
        await sleep(300);
      }
    };
    const poll = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 240_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(50);
      }
    };
    // A first part; once the victim has written a batch of it (the table exists), the rest streams in while it is killed.
    await Promise.all([writer(0, 0, 8), writer(1, 0, 8)]);
    await poll('the first commit', () => victim.output().includes('"msg":"commit: batch written"'));
    let held: Job[] = [];
    const killer = async () => {
      await poll('the victim to hold jobs', async () => (held = await heldBy(victimName)).length > 0);
      await victim.stop('SIGKILL');
      return Date.now();
    };
    const [, , killedAt] = await Promise.all([writer(0, 8), writer(1, 8), killer()]);

    // The standby takes both partitions once the leases lapse, and finishes the victim's jobs.
    const upserts = [...jobIds];
    expect(new Set(await finished(upserts))).toEqual(new Set(['done']));
    for (let p = 0; p < PARTITIONS; p++) expect(await redis.get(`${prefix}:commit-lease-${p}`)).toBe(standbyName);
    expect(standby.output().match(/"msg":"committer ready"/g)).toHaveLength(PARTITIONS);
    const interrupted = [];
    for (const job of held) {
      const again = (await commitQueues.find((q) => q.name === job.queueName)!.getJob(job.id!))!;
      // A job the victim finished between the look and the kill was not interrupted.
      if (again.finishedOn === undefined || again.finishedOn > killedAt) interrupted.push(again);
    }
    expect(interrupted.length).toBeGreaterThan(0);
    for (const job of interrupted) expect(await redis.hget(`${prefix}:${job.queueName}:${job.id}`, 'pb')).toBe(standbyName);

    // Deletes from both writers, overlapping too (the same id names the same job).
    const deletes = await Promise.all(
      DELETED.map(async (ids) => (await Promise.all(ids.map((n) => api('DELETE', `/api/papers/${paperId(n)}`)))).flatMap((r) => r.jobs.map((j) => j.id))),
    );
    expect(new Set(await finished([...new Set(deletes.flat())]))).toEqual(new Set(['done']));

    const version = (await table.version())!;
    const rows = await table.rowsAt(version);
    const ids = rows.map((r) => r.paper.id);
    const deleted = new Set(DELETED.flat());
    const expected = [...new Set(WRITER_IDS.flat())].filter((n) => !deleted.has(n)).map(paperId);
    expect(ids.length, 'duplicate rows').toBe(new Set(ids).size);
    expect(ids.sort()).toEqual(expected.sort());
    expect(await table.count()).toBe(expected.length);
    // Each row holds one of the versions posted for it, with its vector.
    for (const row of rows) {
      const n = Number(row.paper.id.slice(2));
      const versions = [0, 1].filter((w) => WRITER_IDS[w]!.includes(n)).map((w) => record(n, w).abstract);
      expect(versions).toContain(row.paper.abstract);
      expect(row.vector.length).toBeGreaterThan(0);
    }
  });

  it('a delete posted while the paper still waits for a worker wins over that older upsert; a later upsert brings it back', { timeout: 400_000 }, async () => {
    // No worker: the upsert waits in the embed queue while the delete, which needs no vector, is committed.
    await worker.stop();
    const [upsert] = (await api('POST', '/api/papers', record(101, 0))).jobs;
    const [del] = (await api('DELETE', `/api/papers/${paperId(101)}`)).jobs;
    expect(await finished([del!.id])).toEqual(['done']);
    worker = await startScript('src/ingest/worker.ts', env, /embedding worker ready/, 240_000);
    expect(await finished([upsert!.id])).toEqual(['done']);
    const present = async () => (await table.rowsAt((await table.version())!)).filter((r) => r.paper.id === paperId(101));
    expect(await present()).toEqual([]);

    const [again] = (await api('POST', '/api/papers', record(101, 1))).jobs;
    expect(await finished([again!.id])).toEqual(['done']);
    expect((await present()).map((r) => r.paper.abstract)).toEqual([record(101, 1).abstract]);
  });
});
