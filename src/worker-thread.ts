import path from 'node:path';
import { Worker } from 'node:worker_threads';

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

/**
 * The module `name` next to the calling module, with the caller's own extension:
 * `.ts` when running from source, `.js` when running the compiled `dist/`.
 */
export function siblingModule(callerUrl: string, name: string): URL {
  return new URL(`./${name}${path.extname(new URL(callerUrl).pathname)}`, callerUrl);
}

/** Starts a worker thread on `entry`; TypeScript entries go through the tsx boot file, compiled ones start as they are. */
export function startWorker(entry: URL, workerData: Record<string, unknown> = {}): Worker {
  if (entry.pathname.endsWith('.ts')) return new Worker(BOOT, { workerData: { ...workerData, __entry: entry.href } });
  return new Worker(entry, { workerData });
}
