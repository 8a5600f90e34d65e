/**
 * The thread side of a worker pool (worker-pool.ts): runs `setup` once
 * (loading a model, say), lowers the thread's CPU priority, says it is ready,
 * then answers each job with its result or its error.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData, type Transferable } from 'node:worker_threads';
import type { JobMessage, ThreadError, ThreadMessage, ThreadPriority } from './worker-pool.ts';

export interface JobHandler<Info, Request, Result> {
  info: Info;
  handle(request: Request): Result | Promise<Result>;
  /** Buffers of the result to move to the main thread rather than copy. */
  transfer?(result: Result): Transferable[];
}

function threadError(err: unknown): ThreadError {
  const e = err as { message?: string; code?: string; details?: unknown };
  return { message: e.message ?? String(err), code: e.code, details: e.details };
}

/**
 * Linux schedules each thread on its own, and setpriority on a thread id changes
 * that thread alone. Node has no call for a scheduling class: chrt (util-linux,
 * on every Debian system) sets SCHED_IDLE for one thread id; without it the
 * thread falls back to nice 19. Elsewhere (no /proc/thread-self) the thread keeps
 * the process's priority, which only costs the event loop its head start.
 */
function lowerThreadPriority(priority: ThreadPriority): void {
  if (!priority) return;
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (priority === 'idle') {
      try {
        execFileSync('chrt', ['--idle', '-p', '0', String(tid)], { stdio: 'ignore' });
        return;
      } catch {
        priority = 19;
      }
    }
    os.setPriority(tid, priority);
  } catch {
    // Not Linux: see above.
  }
}

export async function serveJobs<Info, Request, Result>(setup: () => Promise<JobHandler<Info, Request, Result>>): Promise<void> {
  const port = parentPort!;
  type Message = ThreadMessage<Info, Result>;
  let handler: JobHandler<Info, Request, Result>;
  try {
    handler = await setup();
  } catch (err) {
    port.postMessage({ ready: false, error: threadError(err) } satisfies Message);
    return;
  }
  // After set-up: loading a model is start-up work, at the process's priority; jobs then yield to the event loop.
  lowerThreadPriority((workerData as { nice?: ThreadPriority } | null)?.nice ?? 0);
  port.postMessage({ ready: true, info: handler.info } satisfies Message);
  port.on('message', async ({ jobId, request }: JobMessage<Request>) => {
    try {
      const result = await handler.handle(request);
      port.postMessage({ jobId, result } satisfies Message, handler.transfer?.(result) ?? []);
    } catch (err) {
      port.postMessage({ jobId, error: threadError(err) } satisfies Message);
    }
  });
}
