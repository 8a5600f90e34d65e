import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EMBED_QUEUE, commitQueueName, decodeVector, jobOptions, openBullmqQueue, redisConnection, type CommitJobData } from '../../src/ingest/bullmq-queue.ts';
import type { IngestQueue } from '../../src/ingest/queue.ts';
import type { JobRef } from '../../src/ingest/jobs.ts';
import { contentHash } from '../../src/text/normalize.ts';
import { modelId } from '../../src/embed/create-embedder.ts';
import type { StoredPaper } from '../../src/types.ts';
import { startScript, type ChildScript } from '../helpers/server-process.ts';

const { redisUrl } = inject('cluster');
// Each run has its own queues in the shared Redis.
const prefix = `t-${randomUUID().slice(0, 8)}`;
const ATTEMPTS = 3;
const env = {
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: prefix,
  MODEL: 'use-lite:16',
  INGEST_ATTEMPTS: String(ATTEMPTS),
  WORKER_THREADS: '1',
  WORKER_BATCH: '8',
  // A dead worker's jobs move on after ~2 s instead of 30.
  WORKER_LOCK_MS: '2000',
};

function paper(n: number): StoredPaper {
  const p = {
    id: `w-${n}`,
    title: `Sparse attention for long documents, study ${n}`,
    abstract: `We measure how sparse attention patterns scale with document length in setting ${n}, and compare them with dense attention on retrieval and summarisation.`,
    authors: ['Grace Hopper'],
    year: 2025,
    date: null,
    categories: ['cs.CL'],
    url: null,
    source: 'api',
  };
  return { ...p, contentHash: contentHash(p) };
}

const upsert = (p: StoredPaper) => ({ kind: 'upsert' as const, paper: p });
const startWorker = () => startScript('src/ingest/worker.ts', env, /embedding worker ready/, 200_000);

let queue: IngestQueue;
let embed: Queue;
let commit: Queue;
let workers: ChildScript[];
let redis: ReturnType<typeof redisConnection>;

/** The worker that took the job last (BullMQ records its name in the job's hash as `pb`; Job objects do not carry it here). */
const processedBy = async (id: string) => (await redis.hget(`${prefix}:${EMBED_QUEUE}:${id}`, 'pb')) ?? '';

beforeAll(async () => {
  queue = await openBullmqQueue({ redisUrl, prefix, partitions: 1, attempts: ATTEMPTS });
  const connection = redisConnection(redisUrl);
  redis = connection;
  embed = new Queue(EMBED_QUEUE, { connection, prefix });
  commit = new Queue(commitQueueName(0), { connection, prefix });
});

afterAll(async () => {
  await Promise.all((workers ?? []).map((w) => w.stop('SIGKILL')));
  await queue.close();
  await embed.close();
  await commit.close();
});

async function waitForStates(refs: JobRef[], done: (state: string) => boolean, timeoutMs = 100_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(refs.map(async (r) => (await queue.status(r.id))!.state));
    if (states.every(done)) return states;
    if (Date.now() > deadline) throw new Error(`jobs not finished: ${JSON.stringify(states)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('embedding workers on BullMQ', () => {
  // Started in a test rather than a hook: loading the model on a busy machine can take longer than a hook may.
  it('two workers start, each with the configured model on one thread', { timeout: 240_000 }, async () => {
    workers = await Promise.all([startWorker(), startWorker()]);
    for (const w of workers) expect(w.ready[0]).toContain('embedding worker ready');
    for (const w of workers) expect(w.output()).toMatch(/"model":"use-lite:16@windows","threads":1/);
  });

  it('submitting the same paper twice queues one job', async () => {
    const [a] = await queue.submit([upsert(paper(0))]);
    const [b] = await queue.submit([upsert(paper(0))]);
    expect(b!.id).toBe(a!.id);
    const counts = await embed.getJobCounts();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
    await waitForStates([a!], (s) => s === 'embedded');
  });

  it('a worker killed mid-job: its jobs finish on the other worker, each paper embedded once into the commit queue', async () => {
    const [victim, survivor] = workers as [ChildScript, ChildScript];
    const refs = await queue.submit(Array.from({ length: 120 }, (_, i) => upsert(paper(i + 1))));
    const victimName = `:${victim.child.pid}`;
    let held: string[] = [];
    for (let i = 0; i < 400 && held.length === 0; i++) {
      const active = (await embed.getActive()).map((j) => j.id!);
      const by = await Promise.all(active.map(processedBy));
      held = active.filter((_, k) => by[k]!.endsWith(victimName));
      if (!held.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(held.length).toBeGreaterThan(0);
    await victim.stop('SIGKILL');
    // A job the victim finished between the look above and its death is not one it held when killed.
    const killedAt = Date.now();

    const states = await waitForStates(refs, (s) => s === 'embedded' || s === 'failed');
    expect(states.every((s) => s === 'embedded')).toBe(true);
    const survivorName = `:${survivor.child.pid}`;
    const interrupted = [];
    for (const id of held) {
      const job = (await embed.getJob(id))!;
      if (job.finishedOn === undefined || job.finishedOn > killedAt) interrupted.push(job);
    }
    expect(interrupted.length).toBeGreaterThan(0);
    for (const job of interrupted) {
      expect(await processedBy(job.id!)).toMatch(new RegExp(`${survivorName}$`));
      expect(job.attemptsStarted + job.stalledCounter).toBeGreaterThan(1);
    }
    const commits = (await commit.getJobs(['waiting'])).filter((j) => j.name === 'upsert');
    const ids = commits.map((j) => (j.data as CommitJobData & { kind: 'upsert' }).paper.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of refs) expect(ids).toContain(r.paper_id);
    const one = commits[0]!.data as CommitJobData & { kind: 'upsert' };
    expect(decodeVector(one.vector).length).toBe(512);
    expect(one.model).toBe(modelId('use-lite:16'));
  });

  it('a poison record fails alone after the configured tries and is reported; its batch-mates are embedded', async () => {
    const good = await queue.submit([upsert(paper(500)), upsert(paper(501))]);
    await embed.add('upsert', { paper: { id: 'poison-1', title: 42 } }, { ...jobOptions(ATTEMPTS), jobId: 'upoison1' });
    await waitForStates(good, (s) => s === 'embedded');
    const poison = await waitForStates([{ id: 'upoison1', paper_id: 'poison-1', kind: 'upsert' }], (s) => s === 'failed', 60_000);
    expect(poison).toEqual(['failed']);
    const status = (await queue.status('upoison1'))!;
    expect(status.attempts).toBe(ATTEMPTS);
    expect(status.error).toContain('title');
    expect(workers.map((w) => w.output()).join('')).toMatch(/"job":"upoison1".*embed job failed for good/);
  });
});
