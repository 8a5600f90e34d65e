import type { Worker } from 'node:worker_threads';
import { PaperscopeError, type ErrorCode } from './errors.ts';
import { startWorker } from './worker-thread.ts';

/** An error as it crosses from a thread: a PaperscopeError keeps its code and details. */
export interface ThreadError {
  message: string;
  code?: string;
  details?: unknown;
}

/** What a pool thread sends (see serveJobs in worker-jobs.ts): once ready or failed to start, then one reply per job. */
export type ThreadMessage<Info, Result> =
  | { ready: true; info: Info }
  | { ready: false; error: ThreadError }
  | { jobId: number; result: Result }
  | { jobId: number; error: ThreadError };

export interface JobMessage<Request> {
  jobId: number;
  request: Request;
}

export interface RunOptions {
  /** The thread to run on; by default the live thread with the fewest jobs waiting. */
  thread?: number;
  /** Aborting answers the job at once with the signal's reason; the thread's answer is then dropped. */
  signal?: AbortSignal;
  /** Called on abort, to tell the thread to stop (e.g. through a shared flag it polls). */
  onAbort?(): void;
}

export interface WorkerPool<Request, Result> {
  readonly size: number;
  run(request: Request, options?: RunOptions): Promise<Result>;
  close(): Promise<void>;
}

/**
 * A thread's CPU priority below the process's: a Linux nice value (0–19), or
 * 'idle', Linux's SCHED_IDLE class (RocksDB's kIdle for its background
 * threads): the thread runs only on a core nothing else wants, and a waking
 * normal thread (the event loop) takes the core from it at once. Nice alone
 * does not give that on this kernel's scheduler (EEVDF): a nice-19 busy loop
 * cut cached answers by a quarter (docs/performance.md).
 */
export type ThreadPriority = number | 'idle';

export interface PoolOptions {
  /** Names the threads in errors ("embedding thread exited"). */
  name: string;
  workerData?: Record<string, unknown>;
  /**
   * The threads' CPU priority. A server's query-time threads run below its event
   * loop, so that /health and cached answers win the cores when heavy work piles
   * up (what RocksDB does for its background threads).
   */
  nice?: ThreadPriority;
}

function toError(e: ThreadError): Error {
  return e.code ? new PaperscopeError(e.code as ErrorCode, e.message, e.details) : new Error(e.message);
}

/**
 * `size` threads running `entry` (a module that calls serveJobs), ready before
 * this resolves, with each thread's ready info. Jobs are matched to replies by
 * id; a thread that dies fails its waiting jobs and every later one sent to it,
 * rather than leaving them hanging, and is passed over by least-busy dispatch.
 */
export async function startWorkerPool<Info, Request, Result>(entry: URL, size: number, options: PoolOptions): Promise<{ pool: WorkerPool<Request, Result>; info: Info[] }> {
  const threads: Worker[] = Array.from({ length: size }, () => startWorker(entry, { ...options.workerData, nice: options.nice ?? 0 }));
  // Loading a thread's modules (and its model) is paid here, at start-up, not by the first job.
  const info = await Promise.all(
    threads.map(
      (w) =>
        new Promise<Info>((resolve, reject) => {
          w.once('message', (m: ThreadMessage<Info, Result>) => ('ready' in m ? (m.ready ? resolve(m.info) : reject(toError(m.error))) : reject(new Error('unexpected reply'))));
          w.once('error', reject);
        }),
    ),
  ).catch(async (err) => {
    await Promise.all(threads.map((w) => w.terminate()));
    throw err;
  });

  const waiting = threads.map(() => new Map<number, { resolve(v: Result): void; reject(e: Error): void }>());
  const dead: (Error | undefined)[] = threads.map(() => undefined);
  threads.forEach((worker, t) => {
    worker.on('message', (m: ThreadMessage<Info, Result>) => {
      if ('ready' in m) return;
      const job = waiting[t].get(m.jobId);
      waiting[t].delete(m.jobId);
      if ('result' in m) job?.resolve(m.result);
      else job?.reject(toError(m.error));
    });
    const die = (err: Error) => {
      dead[t] ??= err;
      for (const job of waiting[t].values()) job.reject(dead[t]!);
      waiting[t].clear();
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`${options.name} thread exited (code ${code})`)));
  });
  let nextJobId = 0;

  const pool: WorkerPool<Request, Result> = {
    size,
    run(request, { thread, signal, onAbort } = {}) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const loads = waiting.map((jobs, i) => (dead[i] ? Infinity : jobs.size));
        const t = thread ?? loads.indexOf(Math.min(...loads));
        if (dead[t]) return reject(dead[t]);
        const jobId = nextJobId++;
        const abort = () => {
          waiting[t].delete(jobId);
          onAbort?.();
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', abort, { once: true });
        const done = () => signal?.removeEventListener('abort', abort);
        waiting[t].set(jobId, {
          resolve: (v) => (done(), resolve(v)),
          reject: (e) => (done(), reject(e)),
        });
        threads[t].postMessage({ jobId, request } satisfies JobMessage<Request>);
      });
    },
    async close() {
      await Promise.all(threads.map((w) => w.terminate()));
    },
  };
  return { pool, info };
}
