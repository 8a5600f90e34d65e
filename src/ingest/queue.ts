import type { IngestOp, JobRef, JobStatus } from './jobs.ts';

/**
 * Where accepted writes go. Two implementations, chosen by configuration
 * (`REDIS_URL`): a local one (a journal in INDEX_DIR, processed in the server's
 * own process, ending in a rebuild) and a BullMQ one (Redis; embedding workers
 * and committers elsewhere).
 */
export interface IngestQueue {
  readonly kind: 'local' | 'bullmq';
  /**
   * Resolves once every op is durably queued. An op whose job is already
   * queued or running is not queued again; a finished one is queued afresh
   * (its effect is the same: an unchanged paper is not rewritten).
   */
  submit(ops: IngestOp[]): Promise<JobRef[]>;
  /** A job's state, or null when no job has this id. */
  status(id: string): Promise<JobStatus | null>;
  close(): Promise<void>;
}
