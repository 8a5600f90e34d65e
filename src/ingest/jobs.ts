import { createHash } from 'node:crypto';
import type { StoredPaper } from '../types.ts';

/** One change to the collection, as queued by the API or a feed. */
export type IngestOp = { kind: 'upsert'; paper: StoredPaper } | { kind: 'delete'; id: string };

/**
 * queued → active → done, or failed once its attempts are used up. The
 * distributed path adds `embedded`: the vector exists and waits for the
 * committer of its partition.
 */
export type JobStateName = 'queued' | 'active' | 'embedded' | 'done' | 'failed';

export interface JobStatus {
  id: string;
  kind: IngestOp['kind'];
  paper_id: string;
  state: JobStateName;
  attempts: number;
  /** Why the job failed (or its last attempt did), when it has. */
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface JobRef {
  id: string;
  paper_id: string;
  kind: IngestOp['kind'];
}

export function opPaperId(op: IngestOp): string {
  return op.kind === 'upsert' ? op.paper.id : op.id;
}

const hex = (s: string, length: number) => createHash('sha256').update(s, 'utf8').digest('hex').slice(0, length);

/**
 * Deterministic job ids, so that submitting the same change twice names the
 * same job and queues nothing new: an upsert from paper id + content hash, a
 * delete from the paper id. (No ':' in them: BullMQ reserves it.)
 */
export function jobId(op: IngestOp): string {
  return op.kind === 'upsert' ? `u${hex(`${op.paper.id}\0${op.paper.contentHash}`, 31)}` : `d${hex(op.id, 31)}`;
}

export function jobRef(op: IngestOp): JobRef {
  return { id: jobId(op), paper_id: opPaperId(op), kind: op.kind };
}

/** The last change per paper wins, in submission order: what a batch amounts to. */
export function lastOpPerPaper(ops: IngestOp[]): IngestOp[] {
  const last = new Map<string, IngestOp>();
  for (const op of ops) {
    const id = opPaperId(op);
    last.delete(id);
    last.set(id, op);
  }
  return [...last.values()];
}
