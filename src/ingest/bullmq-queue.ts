import { Queue, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PaperscopeError } from '../errors.ts';
import type { StoredPaper } from '../types.ts';
import { jobRef, type IngestOp, type JobStateName, type JobStatus } from './jobs.ts';
import type { IngestQueue } from './queue.ts';

/**
 * The distributed path. Upserts go to the embed queue, where `npm run worker`
 * processes embed them and hand paper + vector to the commit queue of the
 * paper's partition; deletes need no vector and go straight there. One
 * committer per partition (concurrency 1) owns its ids, so no two writers ever
 * `mergeInsert` the same id (LanceDB would keep both rows).
 */
export const EMBED_QUEUE = 'embed';

export function commitQueueName(partition: number): string {
  return `commit-${partition}`;
}

/** A stable partition per paper id: the first 4 bytes of its SHA-256 modulo the partition count. */
export function partitionOf(paperId: string, partitions: number): number {
  return createHash('sha256').update(paperId, 'utf8').digest().readUInt32BE(0) % partitions;
}

export interface EmbedJobData {
  paper: StoredPaper;
}

/** Jobs come from Redis, i.e. from anyone who could write there: checked like any input. */
export const QueuedPaper = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  abstract: z.string(),
  authors: z.array(z.string()),
  year: z.number().int().nullable(),
  date: z.string().nullable(),
  categories: z.array(z.string()),
  url: z.string().nullable(),
  source: z.string(),
  contentHash: z.string().min(1),
}) satisfies z.ZodType<StoredPaper>;

/** What a committer receives: the paper and its vector (float32 little-endian, base64), or a delete. */
export const CommitJob = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upsert'), paper: QueuedPaper, vector: z.string().min(1), model: z.string().min(1) }),
  z.object({ kind: z.literal('delete'), id: z.string().min(1) }),
]);
export type CommitJobData = z.infer<typeof CommitJob>;

/** A zod error as one line naming each field, for a job's failure reason. */
export function issuesText(error: z.ZodError, root: string): string {
  return error.issues.map((i) => `${i.path.join('.') || root}: ${i.message}`).join('; ');
}

/**
 * The builder's queue holds at most one job: it always has this id, and BullMQ
 * adds nothing while a job of that id exists. Committers count their changes
 * under `changesKey` and request a build past a threshold; builders request one
 * on a schedule while changes wait.
 */
export const BUILD_QUEUE = 'build';
export const BUILD_JOB_ID = 'build';

export function changesKey(prefix: string): string {
  return `${prefix}:build-changes`;
}

/**
 * The job of the newest change submitted for a paper. An upsert reaches its
 * committer only once embedded, a delete at once, so a delete posted after an
 * upsert can be committed before it; the committer applies a change only if it
 * is still the newest submitted for its paper (or none is recorded: expired),
 * and completes an older one without writing it. Written before the job is
 * queued, so that a committer never sees a job newer than its record. Kept a
 * week: far longer than a change waits in the queues.
 */
export function lastChangeKey(prefix: string, paperId: string): string {
  return `${prefix}:last-change:${paperId}`;
}
export const LAST_CHANGE_TTL_S = 7 * 24 * 3600;

export interface BullmqOptions {
  redisUrl: string;
  /** Key prefix in Redis, so that several collections (or test runs) can share one server. */
  prefix: string;
  partitions: number;
  /** Tries per job before it is marked failed (a poison record fails alone after this many). */
  attempts: number;
}

export function redisConnection(url: string): Redis {
  // BullMQ's blocking commands need maxRetriesPerRequest: null.
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** Retries with exponential backoff; finished jobs are kept for a while so that their state can be read. */
export function jobOptions(attempts: number): JobsOptions {
  return {
    attempts,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 24 * 3600, count: 100_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

export function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

export function decodeVector(data: string): Float32Array {
  const bytes = Buffer.from(data, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

const RUNNING = new Set(['waiting', 'waiting-children', 'delayed', 'prioritized', 'active']);

export async function openBullmqQueue(options: BullmqOptions): Promise<IngestQueue> {
  const connection = redisConnection(options.redisUrl);
  const queue = (name: string) => new Queue(name, { connection, prefix: options.prefix });
  const embed = queue(EMBED_QUEUE);
  const commits = Array.from({ length: options.partitions }, (_, p) => queue(commitQueueName(p)));
  const commitFor = (paperId: string) => commits[partitionOf(paperId, options.partitions)]!;
  const opts = jobOptions(options.attempts);

  /** Whether the job is waiting or running already; a finished one is removed so that it can be queued afresh. */
  const stillRunning = async (id: string, queues: Queue[]): Promise<boolean> => {
    for (const q of queues) {
      const job = await q.getJob(id);
      if (!job) continue;
      if (RUNNING.has(await job.getState())) return true;
      await job.remove();
    }
    return false;
  };

  return {
    kind: 'bullmq',
    async submit(ops) {
      const refs = ops.map(jobRef);
      try {
        for (const [i, op] of ops.entries()) {
          const id = refs[i]!.id;
          const commit = commitFor(refs[i]!.paper_id);
          await connection.set(lastChangeKey(options.prefix, refs[i]!.paper_id), id, 'EX', LAST_CHANGE_TTL_S);
          if (await stillRunning(id, [embed, commit])) continue;
          if (op.kind === 'upsert') await embed.add('upsert', { paper: op.paper } satisfies EmbedJobData, { ...opts, jobId: id });
          else await commit.add('delete', { kind: 'delete', id: op.id } satisfies CommitJobData, { ...opts, jobId: id });
        }
      } catch (err) {
        if (err instanceof PaperscopeError) throw err;
        throw new PaperscopeError('QUEUE_UNAVAILABLE', undefined, { reason: err instanceof Error ? err.message : String(err) });
      }
      return refs;
    },
    async status(id) {
      const found = await Promise.all([embed, ...commits].map((q) => q.getJob(id)));
      const embedJob = found[0];
      const commitJob = found.slice(1).find(Boolean);
      if (!embedJob && !commitJob) return null;
      const embedState = embedJob ? await embedJob.getState() : null;
      if (embedJob && (embedState !== 'completed' || !commitJob)) {
        return toStatus(embedJob, embedState === 'completed' ? 'embedded' : mapState(embedState!));
      }
      const commitState = await commitJob!.getState();
      const state = commitState === 'completed' ? 'done' : commitState === 'failed' ? 'failed' : embedJob ? 'embedded' : mapState(commitState);
      return toStatus(commitJob!, state, embedJob ?? undefined);
    },
    async close() {
      await Promise.all([embed, ...commits].map((q) => q.close()));
      connection.disconnect();
    },
  };
}

function mapState(state: string): JobStateName {
  if (state === 'active') return 'active';
  if (state === 'completed') return 'done';
  if (state === 'failed') return 'failed';
  return 'queued';
}

function toStatus(job: Job, state: JobStateName, first?: Job): JobStatus {
  const data = job.data as EmbedJobData | CommitJobData;
  const paperId = 'paper' in data ? data.paper.id : data.id;
  return {
    id: job.id!,
    kind: job.name === 'delete' ? 'delete' : 'upsert',
    paper_id: paperId,
    state,
    attempts: (first?.attemptsMade ?? 0) + job.attemptsMade,
    error: job.failedReason || first?.failedReason || null,
    created_at: new Date((first ?? job).timestamp).toISOString(),
    finished_at: state === 'done' || state === 'failed' ? new Date(job.finishedOn ?? Date.now()).toISOString() : null,
  };
}
