import fs from 'node:fs/promises';
import path from 'node:path';
import { isAlive, thisProcess, type ProcessOwner } from './process-owner.ts';

/**
 * A server's claim on the builds it serves: `INDEX_DIR/leases/<pid>` names
 * them, so that build garbage collection in an indexer never deletes files a
 * running server still reads. Leases of dead processes are ignored (and
 * removed by the next collection).
 */
const LEASES = 'leases';

interface Lease extends ProcessOwner {
  builds: string[];
}

function leaseFile(indexDir: string, pid = process.pid): string {
  return path.join(indexDir, LEASES, String(pid));
}

/** This process's lease changes one at a time, in order: a late write must not undo a removal. */
let pending: Promise<unknown> = Promise.resolve();
function inOrder(change: () => Promise<void>): Promise<void> {
  const next = pending.then(change);
  pending = next.catch(() => {});
  return next;
}

/** Replaces this process's lease atomically (write, rename), so a reader never sees half of one. */
export function writeLease(indexDir: string, buildDirs: string[]): Promise<void> {
  return inOrder(async () => {
    const file = leaseFile(indexDir);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const lease: Lease = { ...thisProcess(), builds: buildDirs.map((d) => path.basename(d)) };
    await fs.writeFile(`${file}.tmp`, JSON.stringify(lease));
    await fs.rename(`${file}.tmp`, file);
  });
}

export function removeLease(indexDir: string): Promise<void> {
  return inOrder(() => fs.rm(leaseFile(indexDir), { force: true }));
}

/** Build names leased by live processes; dead processes' lease files are removed on the way. */
export async function leasedBuilds(indexDir: string): Promise<Set<string>> {
  const dir = path.join(indexDir, LEASES);
  const names = await fs.readdir(dir).catch((err) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [] as string[];
    throw err;
  });
  const leased = new Set<string>();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue; // e.g. a lease being written
    let lease: Lease;
    try {
      lease = JSON.parse(await fs.readFile(path.join(dir, name), 'utf8'));
    } catch {
      continue; // removed meanwhile by its process
    }
    if (isAlive(lease)) for (const b of lease.builds) leased.add(b);
    else await fs.rm(path.join(dir, name), { force: true });
  }
  return leased;
}
