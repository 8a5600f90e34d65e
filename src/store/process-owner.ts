import fs from 'node:fs';
import os from 'node:os';

/**
 * Who holds a lock or a lease: enough to tell a person which process it is,
 * and to tell whether that process is still alive.
 */
export interface ProcessOwner {
  pid: number;
  host: string;
  startedAt: string;
  /** The kernel's start time of the process (Linux), so that a recycled pid is not mistaken for the owner. */
  procStart?: string;
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function procStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields after it are plain.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const STARTED_AT = new Date(Date.now() - process.uptime() * 1000).toISOString();

export function thisProcess(): ProcessOwner {
  return { pid: process.pid, host: os.hostname(), startedAt: STARTED_AT, procStart: procStart(process.pid) };
}

/**
 * Whether the owner may still be running. A process on another host cannot be
 * checked from here, so it counts as alive: a lock or lease is only ever taken
 * over when its owner is known to be gone.
 */
export function isAlive(owner: ProcessOwner): boolean {
  if (owner.host !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = owner.procStart ? procStart(owner.pid) : undefined;
  return now === undefined || now === owner.procStart;
}

export function describeOwner(owner: ProcessOwner): string {
  return `pid ${owner.pid} on ${owner.host}, started ${owner.startedAt}`;
}
