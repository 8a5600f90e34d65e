import fs from 'node:fs/promises';
import path from 'node:path';
import { PaperscopeError } from '../errors.ts';
import { describeOwner, isAlive, thisProcess, type ProcessOwner } from './process-owner.ts';

/**
 * One writer per INDEX_DIR. The lock is a file created with O_EXCL, which the
 * kernel lets exactly one process create, holding its owner (pid, host, start
 * time, command), so that a second writer can say who holds it. A lock whose
 * owner is dead (a killed indexer) is taken over; a second `LOCK.takeover`
 * file, also created exclusively, makes sure only one process removes the
 * stale lock, and that it removes that one and not a fresh one created since.
 *
 * Why not proper-lockfile: it decides staleness by the lock's age, so a long
 * index run must keep touching it and a paused one loses it; it does not
 * record who holds the lock, which the message to the second writer needs.
 */
const LOCK = 'LOCK';
const TAKEOVER = 'LOCK.takeover';
const RETRY_MS = 200;
/** A takeover or a lock file still without its owner after this long was left by a crash in between. */
const ABANDONED_MS = 10_000;

interface LockOwner extends ProcessOwner {
  command: string;
}

export interface WriterLock {
  readonly indexDir: string;
  release(): Promise<void>;
}

export interface LockOptions {
  /** How long to wait for another writer to finish (0: fail at once). */
  waitMs?: number;
  /** Told once when this writer starts waiting, with the holder. */
  onWait?(holder: string): void;
}

async function readOwner(file: string): Promise<LockOwner | null | 'missing'> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : null;
  }
}

async function createExclusive(file: string, content: string): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

async function olderThan(file: string, ms: number): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => null);
  return stat !== null && Date.now() - stat.mtimeMs > ms;
}

/** Removes the lock of a dead owner, if it is still that lock; true when the caller may try again at once. */
async function takeOver(indexDir: string, stale: string): Promise<boolean> {
  const guard = path.join(indexDir, TAKEOVER);
  if (!(await createExclusive(guard, JSON.stringify(thisProcess())))) {
    if (await olderThan(guard, ABANDONED_MS)) await fs.rm(guard, { force: true });
    return false;
  }
  try {
    const now = await fs.readFile(path.join(indexDir, LOCK), 'utf8').catch(() => null);
    if (now === stale) await fs.rm(path.join(indexDir, LOCK), { force: true });
    return true;
  } finally {
    await fs.rm(guard, { force: true });
  }
}

/** Takes the writer lock on `indexDir` (creating the folder), waiting up to `waitMs` for another writer. */
export async function lockIndexDir(indexDir: string, options: LockOptions = {}): Promise<WriterLock> {
  await fs.mkdir(indexDir, { recursive: true });
  const file = path.join(indexDir, LOCK);
  const me: LockOwner = { ...thisProcess(), command: process.argv.slice(1).map((a) => path.basename(a)).join(' ') };
  const mine = JSON.stringify(me);
  const deadline = Date.now() + (options.waitMs ?? 0);
  let told = false;
  for (;;) {
    if (await createExclusive(file, mine)) break;
    const raw = await fs.readFile(file, 'utf8').catch(() => null);
    const holder = await readOwner(file);
    if (holder === 'missing') continue;
    const abandoned = holder === null && (await olderThan(file, ABANDONED_MS));
    if (raw !== null && (abandoned || (holder !== null && !isAlive(holder)))) {
      if (await takeOver(indexDir, raw)) continue;
    } else if (holder !== null) {
      const who = `${describeOwner(holder)} (${holder.command})`;
      if (Date.now() >= deadline) {
        throw new PaperscopeError(
          'INDEX_LOCKED',
          `${indexDir} is being written by another indexer: ${who}. Wait for it to finish, or run with --wait SECONDS to wait for it.`,
          { indexDir, holder },
        );
      }
      if (!told) options.onWait?.(who);
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
  return {
    indexDir,
    async release() {
      // Only our own lock: had it been taken over (we looked dead), removing it would free someone else's.
      if ((await fs.readFile(file, 'utf8').catch(() => null)) === mine) await fs.rm(file, { force: true });
    },
  };
}

/** Runs `fn` holding the writer lock of `indexDir`. */
export async function withWriterLock<T>(indexDir: string, options: LockOptions, fn: (lock: WriterLock) => Promise<T>): Promise<T> {
  const lock = await lockIndexDir(indexDir, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}
