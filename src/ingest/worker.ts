/**
 * `npm run worker`: an embedding worker. It takes upsert jobs from the embed
 * queue, embeds their papers in batches with the configured MODEL on one
 * thread per core (WORKER_THREADS), and hands paper + vector to the commit
 * queue of the paper's partition. Any number of workers on any number of
 * machines share one queue. A worker that dies holding jobs stops renewing
 * their locks; BullMQ then hands them to another worker (stalled-job check).
 * A job that keeps failing is retried INGEST_ATTEMPTS times, then marked failed
 * and logged, alone.
 */
import os from 'node:os';
import { Queue, Worker, type Job } from 'bullmq';
import { loadConfig, type Config } from '../config.ts';
import { logger } from '../logger.ts';
import { documentText } from '../embed/create-embedder.ts';
import { createEmbedPool } from '../embed/embed-pool.ts';
import { EMBED_QUEUE, QueuedPaper, commitQueueName, encodeVector, issuesText, jobOptions, partitionOf, redisConnection, type CommitJobData } from './bullmq-queue.ts';
import { batcher } from './batcher.ts';
import { runDaemon } from './daemon.ts';

export interface WorkerOptions {
  threads: number;
  /** Texts per model call. */
  batchSize: number;
  /** How long a worker's hold on a job lasts without renewal: the time before a dead worker's jobs go elsewhere. */
  lockMs: number;
}

export function workerOptions(env: NodeJS.ProcessEnv = process.env): WorkerOptions {
  const int = (v: string | undefined, fallback: number) => (Number.isInteger(Number(v)) && Number(v) > 0 ? Number(v) : fallback);
  return {
    threads: int(env.WORKER_THREADS, Math.max(1, os.availableParallelism())),
    batchSize: int(env.WORKER_BATCH, 16),
    lockMs: int(env.WORKER_LOCK_MS, 30_000),
  };
}

export interface RunningWorker {
  close(): Promise<void>;
}

export async function startWorker(config: Config, options: WorkerOptions): Promise<RunningWorker> {
  const { redisUrl, queuePrefix: prefix, partitions, attempts } = config.ingest;
  if (!redisUrl) throw new Error('npm run worker needs REDIS_URL (the queue it takes jobs from)');
  const pool = await createEmbedPool(config.model, { modelsDir: config.modelsDir, allowRemote: config.allowRemoteModels }, options.threads, options.batchSize);
  const connection = redisConnection(redisUrl);
  const commits = Array.from({ length: partitions }, (_, p) => new Queue(commitQueueName(p), { connection, prefix }));
  const inFlight = options.batchSize * options.threads;
  const embedder = batcher((texts: string[]) => pool.embedDocuments(texts), inFlight, 25);
  // A batch of embedded papers reaches Redis as one addBulk per partition, one round trip rather than one per paper.
  type CommitAdd = { partition: number; data: CommitJobData; jobId: string };
  const commitOptions = jobOptions(attempts);
  const committer = batcher(
    async (adds: CommitAdd[]) => {
      await Promise.all(
        commits.map((queue, p) => {
          const mine = adds.filter((a) => a.partition === p);
          return mine.length ? queue.addBulk(mine.map((a) => ({ name: a.data.kind, data: a.data, opts: { ...commitOptions, jobId: a.jobId } }))) : null;
        }),
      );
      return adds.map(() => undefined);
    },
    inFlight,
    5,
  );

  const worker = new Worker(
    EMBED_QUEUE,
    async (job: Job) => {
      const parsed = QueuedPaper.safeParse(job.data?.paper);
      if (!parsed.success) throw new Error(`invalid paper in job: ${issuesText(parsed.error, 'paper')}`);
      const paper = parsed.data;
      const vector = await embedder.run(documentText(paper));
      const data: CommitJobData = { kind: 'upsert', paper, vector: encodeVector(vector), model: pool.id };
      // Same id as the embed job: if this worker dies after this line, the retry's add is a no-op.
      await committer.run({ partition: partitionOf(paper.id, partitions), data, jobId: job.id! });
      return { dimension: vector.length };
    },
    {
      connection: redisConnection(redisUrl),
      prefix,
      // Recorded on each job it takes (`processedBy`), so that logs and tests can tell workers apart.
      name: `${os.hostname()}:${process.pid}`,
      // Enough jobs in flight to fill a batch on every thread.
      concurrency: inFlight,
      lockDuration: options.lockMs,
      stalledInterval: Math.max(1000, Math.floor(options.lockMs / 2)),
      maxStalledCount: 3,
    },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    const entry = { job: job.id, paper: job.data?.paper?.id ?? null, attempts: job.attemptsMade, err: err.message };
    if (final) logger.error(entry, 'embed job failed for good');
    else logger.warn(entry, 'embed job failed; will retry');
  });
  worker.on('error', (err) => logger.error({ err: err.message }, 'worker error'));
  await worker.waitUntilReady();
  logger.info({ model: pool.id, threads: options.threads, concurrency: inFlight }, 'embedding worker ready');

  return {
    async close() {
      await worker.close();
      await Promise.all(commits.map((q) => q.close()));
      connection.disconnect();
      await pool.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runDaemon('worker', () => startWorker(loadConfig(), workerOptions()), 'finishing its active jobs');
}
