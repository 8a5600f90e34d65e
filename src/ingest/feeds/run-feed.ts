import { contentHash } from '../../text/normalize.ts';
import type { IngestOp, JobRef } from '../jobs.ts';
import type { ReadIssue } from '../../../indexer/readers/types.ts';
import { readCursor, writeCursor, type FeedCursor } from './feed-state.ts';
import type { FeedBatch } from './feed.ts';

export interface FeedSummary {
  fetched: number;
  /** New or changed papers queued. */
  queued: number;
  /** Papers already sent by an earlier run, unchanged. */
  unchanged: number;
  deleted: number;
  skipped: number;
  requests: number;
  issues: ReadIssue[];
  jobs: JobRef[];
  until: string | null;
}

/**
 * Sends a feed's papers down the same path as the API's writes (the queue's
 * `submit`), minus what the previous run already sent, then moves the cursor.
 * The cursor moves only after the submit resolved, i.e. once the papers are
 * durably queued: a crash in between re-sends them, which the queue's
 * idempotent job ids absorb.
 */
export async function runFeed(
  stateDir: string,
  key: string,
  fetchBatch: (cursor: FeedCursor | null) => Promise<FeedBatch>,
  submit: (ops: IngestOp[]) => Promise<JobRef[]>,
): Promise<FeedSummary> {
  const cursor = await readCursor(stateDir, key);
  const batch = await fetchBatch(cursor);
  const hashes = new Map(batch.papers.map((p) => [p.id, contentHash(p)]));
  const fresh = batch.papers.filter((p) => cursor?.seen[p.id] !== hashes.get(p.id));
  const ops: IngestOp[] = [
    ...fresh.map((p): IngestOp => ({ kind: 'upsert', paper: { ...p, contentHash: hashes.get(p.id)! } })),
    ...batch.deleted.map((id): IngestOp => ({ kind: 'delete', id })),
  ];
  const jobs = ops.length ? await submit(ops) : [];

  const dates = [...batch.datestamps.values(), cursor?.until ?? ''].filter(Boolean).sort();
  const until = dates.at(-1) ?? null;
  const seen: Record<string, string> = until === cursor?.until ? { ...cursor?.seen } : {};
  for (const p of batch.papers) if (batch.datestamps.get(p.id) === until) seen[p.id] = hashes.get(p.id)!;
  await writeCursor(stateDir, key, { until, seen, fetchedAt: new Date().toISOString() });
  return {
    fetched: batch.papers.length,
    queued: fresh.length,
    unchanged: batch.papers.length - fresh.length,
    deleted: batch.deleted.length,
    skipped: batch.issues.length,
    requests: batch.requests,
    issues: batch.issues,
    jobs,
    until,
  };
}
