/**
 * `npm run committer`: writes embedded papers and deletes into the store of
 * record (the long-lived LanceDB papers table, src/store/record-table.ts).
 *
 * Each partition `p` of the paper ids has exactly one committer at a time: a
 * process serves a partition only while it holds the partition's lease in
 * Redis (src/ingest/redis-lease.ts), and it writes that partition's changes
 * one batch at a time. So no two writers ever `mergeInsert` the same id
 * (LanceDB would keep both rows, silently). A second committer of the same
 * partition waits as a standby and takes over when the first stops renewing.
 *
 * Jobs of `commit-<p>` are taken many at a time and gathered into one write
 * every COMMIT_BATCH_MS (or COMMIT_BATCH_MAX changes); a job completes (its
 * state becomes `done`) only after the write that holds it has committed, so a
 * committer killed mid-batch loses nothing: BullMQ hands its jobs to the next
 * holder, and applying them again is harmless (upsert and delete by id are
 * idempotent). After each write the committed changes are counted for the
 * builder, which is asked for a build past BUILD_AFTER_CHANGES.
 */
import os from 'node:os';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config.ts';
import { logger } from '../logger.ts';
import { modelId } from '../embed/create-embedder.ts';
import { s3ConfigFromEnv } from '../remote/s3.ts';
import { openRecordTable, recordTableLocation, type RecordTable } from '../store/record-table.ts';
import type { PaperRow } from '../store/papers-table.ts';
import {
  BUILD_JOB_ID,
  BUILD_QUEUE,
  CommitJob,
  changesKey,
  commitQueueName,
  lastChangeKey,
  decodeVector,
  issuesText,
  redisConnection,
  type CommitJobData,
} from './bullmq-queue.ts';
import { lastOpPerPaper, opPaperId, type IngestOp } from './jobs.ts';
import { acquireLease, type Lease } from './redis-lease.ts';
import { runDaemon } from './daemon.ts';

export interface RunningCommitter {
  close(): Promise<void>;
}

type Pending = { job: Job; data: CommitJobData; resolve(): void; reject(err: Error): void };

/** The ops a batch amounts to: the newest change per paper (by submission time), upserts with their vectors. */
function batchChanges(batch: Pending[]): { upserts: PaperRow[]; deletes: string[] } {
  const ordered = [...batch].sort((a, b) => a.job.timestamp - b.job.timestamp);
  const vectors = new Map<string, Float32Array>();
  const ops: IngestOp[] = ordered.map(({ data }) => {
    if (data.kind === 'delete') return data;
    vectors.set(data.paper.id, decodeVector(data.vector));
    return { kind: 'upsert', paper: data.paper };
  });
  const last = lastOpPerPaper(ops);
  return {
    upserts: last.flatMap((op) => (op.kind === 'upsert' ? [{ paper: op.paper, vector: vectors.get(op.paper.id)! }] : [])),
    deletes: last.flatMap((op) => (op.kind === 'delete' ? [op.id] : [])),
  };
}

/** One partition's committer while it holds the lease: a BullMQ worker feeding a serial batch writer. */
function servePartition(config: Config, table: RecordTable, redis: Redis, partition: number, lease: Lease, name: string) {
  const { queuePrefix: prefix, commit, build } = config.ingest;
  const model = modelId(config.model);
  const builds = new Queue(BUILD_QUEUE, { connection: redis, prefix });
  const workerConnection = redisConnection(config.ingest.redisUrl!);
  let pending: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let writes = 0;

  /** The batch without changes that a later submission for the same paper supersedes (they complete unwritten). */
  const newest = async (batch: Pending[]) => {
    const last = await redis.mget(batch.map((p) => lastChangeKey(prefix, opPaperId(p.data))));
    return batch.filter((p, i) => last[i] === null || last[i] === p.job.id);
  };

  const write = async (all: Pending[]) => {
    if (!lease.held()) throw new Error(`committer lost the lease of partition ${partition}`);
    const t0 = performance.now();
    const batch = await newest(all);
    const { upserts, deletes } = batchChanges(batch);
    await table.apply(upserts, deletes);
    writes++;
    const changes = upserts.length + deletes.length;
    logger.info(
      { partition, jobs: all.length, superseded: all.length - batch.length, upserts: upserts.length, deletes: deletes.length, ms: Math.round(performance.now() - t0) },
      'commit: batch written',
    );
    if ((await redis.incrby(changesKey(prefix), changes)) >= build.afterChanges) {
      await builds.add('build', {}, { jobId: BUILD_JOB_ID, removeOnComplete: true, removeOnFail: true });
    }
    // One committer compacts, so that compactions never race each other.
    if (partition === 0 && writes % commit.optimizeEvery === 0) {
      await table.optimize(build.keepVersionsMs).catch((err) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'commit: optimize failed; next time'));
    }
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = [];
    if (!batch.length) return;
    // One write at a time: the next batch waits for this one, so changes to one id are applied in order.
    writing = writing.then(() =>
      write(batch).then(
        () => batch.forEach((p) => p.resolve()),
        (err: Error) => {
          logger.error({ partition, jobs: batch.length, err: err.message }, 'commit: batch failed; its jobs will be retried');
          batch.forEach((p) => p.reject(err));
        },
      ),
    );
  };

  const worker = new Worker(
    commitQueueName(partition),
    async (job: Job) => {
      const parsed = CommitJob.safeParse(job.data);
      if (!parsed.success) throw new Error(`invalid commit job: ${issuesText(parsed.error, 'job')}`);
      const data = parsed.data;
      if (data.kind === 'upsert' && data.model !== model) {
        throw new Error(`paper ${data.paper.id} was embedded with ${data.model}, but this table holds ${model} vectors (MODEL)`);
      }
      await new Promise<void>((resolve, reject) => {
        pending.push({ job, data, resolve, reject });
        if (pending.length >= commit.batchMax) flush();
        else timer ??= setTimeout(flush, commit.batchMs);
      });
      return { paper: opPaperId(data) };
    },
    {
      // Its own connection: a worker blocks on it while waiting for jobs.
      connection: workerConnection,
      prefix,
      name,
      // Enough jobs in flight to fill a batch; they are written together, by one writer.
      concurrency: commit.batchMax,
      // A killed committer's jobs go back to the queue about when its lease expires, for the standby that takes over.
      lockDuration: commit.leaseMs,
      stalledInterval: Math.max(1000, Math.floor(commit.leaseMs / 2)),
      // Writing a change again is harmless (upsert and delete by id), so a job whose lock lapsed (a starved machine) is always retried, never failed.
      maxStalledCount: 1000,
    },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    (final ? logger.error : logger.warn).call(logger, { partition, job: job.id, attempts: job.attemptsMade, err: err.message }, final ? 'commit job failed for good' : 'commit job failed; will retry');
  });
  worker.on('error', (err) => logger.error({ partition, err: err.message }, 'committer error'));

  return {
    ready: worker.waitUntilReady(),
    async close() {
      // Jobs still gathering are written first; then the worker completes them and stops.
      flush();
      await writing;
      await worker.close();
      await builds.close();
      workerConnection.disconnect();
    },
  };
}

export async function startCommitter(config: Config): Promise<RunningCommitter> {
  const { redisUrl, queuePrefix: prefix, partitions, commit } = config.ingest;
  if (!redisUrl) throw new Error('npm run committer needs REDIS_URL (the queue it takes embedded papers from)');
  const served = commit.partitions ?? Array.from({ length: partitions }, (_, p) => p);
  const outside = served.filter((p) => p >= partitions);
  if (outside.length) throw new Error(`COMMITTER_PARTITIONS names ${outside.join(', ')}, but COMMIT_PARTITIONS is ${partitions}`);
  const table = await openRecordTable(recordTableLocation(config.ingest.tableUri, s3ConfigFromEnv()));
  const redis = redisConnection(redisUrl);
  const name = `${os.hostname()}:${process.pid}`;
  const stop = new AbortController();
  const stopping: Promise<void>[] = [];

  /** Serves a partition whenever it holds its lease; a lost lease stops the writer and waits for the lease again. */
  const run = async (partition: number) => {
    while (!stop.signal.aborted) {
      const lease = await acquireLease(redis, `${prefix}:commit-lease-${partition}`, name, {
        ttlMs: commit.leaseMs,
        signal: stop.signal,
        onWait: (holder) => logger.info({ partition, holder }, 'commit: partition held by another committer; standing by'),
      });
      if (!lease) return;
      const serving = servePartition(config, table, redis, partition, lease, name);
      await serving.ready;
      logger.info({ partition, table: config.ingest.tableUri ?? 's3 table' }, 'committer ready');
      const stopped = new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
      await Promise.race([lease.lost, stopped]);
      if (!lease.held()) logger.error({ partition }, 'commit: lease lost; stopping this partition');
      const closing = serving.close().finally(() => lease.release());
      stopping.push(closing);
      await closing;
    }
  };
  const runs = served.map((p) => run(p).catch((err) => logger.error({ partition: p, err: err instanceof Error ? err.message : String(err) }, 'committer failed')));

  return {
    async close() {
      stop.abort();
      await Promise.all(runs);
      await Promise.all(stopping);
      redis.disconnect();
      table.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runDaemon('committer', () => startCommitter(loadConfig()), 'writing what it holds');
}
