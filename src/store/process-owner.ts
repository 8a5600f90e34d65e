import os from 'node:os';

/**
 * Who holds a lock or a lease: enough to tell a person which process it is,
 * and to tell whether that process is still alive.
 */
export interface ProcessOwner {
  pid: number;
  host: string;
  startedAt: string;
}

const STARTED_AT = new Date(Date.now() - process.uptime() * 1000).toISOString();

export function thisProcess(): ProcessOwner {
  return { pid: process.pid, host: os.hostname(), startedAt: STARTED_AT };
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
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function describeOwner(owner: ProcessOwner): string {
  return `pid ${owner.pid} on ${owner.host}, started ${owner.startedAt}`;
}
