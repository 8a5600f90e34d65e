import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * What each feed fetched last, in `INDEX_DIR/ingest/feeds.json`: per feed key
 * (e.g. `hf-daily:2025-01-02`, `arxiv:cs`) the newest datestamp seen and the
 * content hash of each paper submitted on that datestamp, so that the next
 * run can start there and skip what it already sent. Written (temp file +
 * rename) only after the papers are durably queued.
 */
export interface FeedCursor {
  /** Newest datestamp fetched (YYYY-MM-DD), the next run's `from`. */
  until: string | null;
  /** Paper id → content hash, for papers of the `until` day. */
  seen: Record<string, string>;
  fetchedAt: string;
}

type FeedState = Record<string, FeedCursor>;

const FILE = 'feeds.json';

export async function readCursor(dir: string, key: string): Promise<FeedCursor | null> {
  return (await readState(dir))[key] ?? null;
}

export async function writeCursor(dir: string, key: string, cursor: FeedCursor): Promise<void> {
  const state = await readState(dir);
  state[key] = cursor;
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `${FILE}.${process.pid}.tmp`);
  await fs.writeFile(tmp, JSON.stringify(state, null, 1));
  await fs.rename(tmp, path.join(dir, FILE));
}

async function readState(dir: string): Promise<FeedState> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, FILE), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}
