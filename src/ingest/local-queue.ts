import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { jobRef, type IngestOp, type JobRef, type JobStateName, type JobStatus } from './jobs.ts';
import type { IngestQueue } from './queue.ts';

/** Applies a batch of changes to the collection (the indexer: embed, build, publish). */
export type ApplyOps = (ops: IngestOp[]) => Promise<void>;

export interface LocalQueueOptions {
  /** Folder of the journal, `INDEX_DIR/ingest`. */
  dir: string;
  apply: ApplyOps;
  logger: Logger;
  /** Writes arriving within this many ms are applied in one rebuild. */
  batchDelayMs?: number;
  /** Rebuilds tried per job before it is marked failed. */
  attempts?: number;
}

type JournalLine =
  | { t: 'job'; id: string; op: IngestOp; at: string }
  | { t: 'state'; id: string; state: JobStateName; error?: string; at: string };

interface Entry {
  op: IngestOp;
  status: JobStatus;
}

const JOURNAL = 'journal.jsonl';

/**
 * The single-machine queue: each accepted write is appended to a journal in
 * INDEX_DIR and fsynced before `submit` resolves (so a 202 survives a crash);
 * state changes are appended the same way. A restart replays the journal and
 * re-applies whatever was not done. Jobs are applied in the server's own
 * process, in batches, by one rebuild each; the new build is published through
 * CURRENT, which the server's live swap picks up.
 */
export async function openLocalQueue(options: LocalQueueOptions): Promise<IngestQueue> {
  const { dir, apply, logger } = options;
  const batchDelayMs = options.batchDelayMs ?? 1000;
  const maxAttempts = options.attempts ?? 3;
  const jobs = await replay(path.join(dir, JOURNAL), logger);
  await compact(dir, jobs);
  // Opened on the first write, so that a server that never takes one leaves INDEX_DIR as it found it.
  let journal: fs.FileHandle | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;

  /** Appends lines as one write and waits for them to reach the disk. */
  const append = async (lines: JournalLine[]) => {
    if (!journal) {
      await fs.mkdir(dir, { recursive: true });
      journal = await fs.open(path.join(dir, JOURNAL), 'a');
    }
    await journal.appendFile(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    await journal.sync();
  };

  /** Journal lines moving jobs to a state, applied in memory as they will be on replay. */
  const setState = (ids: string[], state: JobStateName, error?: string): JournalLine[] => {
    const at = new Date().toISOString();
    const lines: JournalLine[] = ids.map((id) => ({ t: 'state', id, state, ...(error ? { error } : {}), at }));
    for (const line of lines) applyLine(jobs, line);
    return lines;
  };

  const pending = () => [...jobs.entries()].filter(([, e]) => e.status.state === 'queued' || e.status.state === 'active');

  /** Applies everything pending in one rebuild; a failure is retried by the next round until attempts run out. */
  const drain = async (): Promise<void> => {
    while (!closed) {
      const batch = pending();
      if (batch.length === 0) return;
      const ids = batch.map(([id]) => id);
      await append(setState(ids, 'active'));
      try {
        await apply(batch.map(([, e]) => e.op));
        await append(setState(ids, 'done'));
        logger.info({ jobs: ids.length }, 'ingest: batch applied');
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        logger.error({ jobs: ids.length, err: message }, 'ingest: batch failed');
        const exhausted = ids.filter((id) => jobs.get(id)!.status.attempts >= maxAttempts);
        const retry = ids.filter((id) => !exhausted.includes(id));
        await append([...setState(exhausted, 'failed', message), ...setState(retry, 'queued', message)]);
        if (retry.length) await new Promise((r) => setTimeout(r, batchDelayMs));
      }
    }
  };

  const schedule = () => {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = null;
      running = (running ?? Promise.resolve()).then(drain).catch((err) => logger.error({ err }, 'ingest: journal write failed'));
    }, batchDelayMs);
  };

  if (pending().length) schedule();

  return {
    kind: 'local',
    async submit(ops) {
      const refs: JobRef[] = [];
      const lines: JournalLine[] = [];
      const at = new Date().toISOString();
      for (const op of ops) {
        const ref = jobRef(op);
        refs.push(ref);
        const known = jobs.get(ref.id);
        if (known && (known.status.state === 'queued' || known.status.state === 'active')) continue;
        const line: JournalLine = { t: 'job', id: ref.id, op, at };
        applyLine(jobs, line);
        lines.push(line);
      }
      if (lines.length) {
        await append(lines);
        schedule();
      }
      return refs;
    },
    async status(id) {
      const entry = jobs.get(id);
      return entry ? { ...entry.status } : null;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
      await journal?.close();
    },
  };
}

/** Finished jobs stay answerable by GET /api/jobs/:id this long; the journal forgets them at the next start after. */
const KEEP_FINISHED_MS = 7 * 24 * 3600 * 1000;

/**
 * Rewrites the journal at start-up with one line per job still worth
 * remembering (unfinished, or finished within KEEP_FINISHED_MS), so that it
 * does not grow for ever. Written beside it, fsynced and renamed over it: a
 * crash leaves the old journal or the new one, never half of one.
 */
async function compact(dir: string, jobs: Map<string, Entry>): Promise<void> {
  const cutoff = Date.now() - KEEP_FINISHED_MS;
  const lines: JournalLine[] = [];
  for (const [id, { op, status }] of jobs) {
    if (status.finished_at && Date.parse(status.finished_at) < cutoff) {
      jobs.delete(id);
      continue;
    }
    lines.push({ t: 'job', id, op, at: status.created_at });
    // Attempts are counted from 'active' lines: one per attempt made.
    for (let i = 0; i < status.attempts; i++) lines.push({ t: 'state', id, state: 'active', at: status.created_at });
    if (status.state !== 'queued' && status.state !== 'active') {
      lines.push({ t: 'state', id, state: status.state, ...(status.error ? { error: status.error } : {}), at: status.finished_at ?? status.created_at });
    }
  }
  const file = path.join(dir, JOURNAL);
  const exists = await fs.stat(file).then(() => true, () => false);
  if (!exists) return;
  const tmp = `${file}.compact`;
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
}

/** The one place a journal line changes a job, live and on replay alike. */
function applyLine(jobs: Map<string, Entry>, line: JournalLine): void {
  if (line.t === 'job') {
    const ref = jobRef(line.op);
    // Re-queued jobs move to the end: the order of the map is the order changes are applied in.
    jobs.delete(line.id);
    jobs.set(line.id, {
      op: line.op,
      status: { id: line.id, kind: ref.kind, paper_id: ref.paper_id, state: 'queued', attempts: 0, error: null, created_at: line.at, finished_at: null },
    });
    return;
  }
  const status = jobs.get(line.id)?.status;
  if (!status) return;
  status.state = line.state;
  status.error = line.error ?? (line.state === 'done' ? null : status.error);
  if (line.state === 'active') status.attempts++;
  if (line.state === 'done' || line.state === 'failed') status.finished_at = line.at;
}

/** Rebuilds the jobs from the journal; a torn last line (a crash mid-append, never acknowledged) is ignored. */
async function replay(file: string, logger: Logger): Promise<Map<string, Entry>> {
  const jobs = new Map<string, Entry>();
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return jobs;
    throw err;
  }
  const lines = text.split('\n').filter(Boolean);
  lines.forEach((raw, i) => {
    let line: JournalLine;
    try {
      line = JSON.parse(raw);
    } catch {
      if (i < lines.length - 1) logger.warn({ file, line: i + 1 }, 'ingest journal: unreadable line skipped');
      return;
    }
    applyLine(jobs, line);
  });
  return jobs;
}
