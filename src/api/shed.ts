import type { MiddlewareHandler } from 'hono';
import { PaperscopeError } from '../errors.ts';
import { requestSignal } from './deadline.ts';

export interface GateOptions {
  /** Work items run at once. */
  concurrency: number;
  /** Items that may wait for a slot; one more is shed at once. */
  queue: number;
  /** Longest wait for a slot; past it the item is shed. */
  maxWaitMs: number;
}

export type ShedReason = 'queue_full' | 'queue_wait';

/** A concurrency bound with a short bounded queue: excess work is refused quickly instead of piling up. */
export interface Gate {
  readonly name: string;
  readonly active: number;
  readonly queued: number;
  /** Runs `work` when a slot is free; an aborted signal takes the item out of the queue. */
  run<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T>;
}

function overloaded(name: string, reason: ShedReason, retryAfterS: number): PaperscopeError {
  return new PaperscopeError('OVERLOADED', undefined, { gate: name, reason, retry_after_s: retryAfterS });
}

/**
 * What nginx's `limit_conn` + a short queue and Elasticsearch's bounded thread
 * pool queues do: at most `concurrency` items run; up to `queue` wait, each at
 * most `maxWaitMs`; anything beyond is answered 503 with Retry-After at once.
 */
export function createGate(name: string, options: GateOptions, onShed?: (gate: string, reason: ShedReason) => void): Gate {
  let active = 0;
  const waiters: { admit(): void }[] = [];
  const retryAfterS = Math.max(1, Math.ceil(options.maxWaitMs / 1000));
  const shed = (reason: ShedReason) => {
    onShed?.(name, reason);
    return overloaded(name, reason, retryAfterS);
  };
  const release = () => {
    const next = waiters.shift();
    if (next) next.admit();
    else active--;
  };
  const acquire = (signal: AbortSignal | undefined): Promise<void> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (active < options.concurrency) {
      active++;
      return Promise.resolve();
    }
    if (waiters.length >= options.queue) return Promise.reject(shed('queue_full'));
    return new Promise((resolve, reject) => {
      const leave = (err: unknown) => {
        const at = waiters.indexOf(waiter);
        if (at >= 0) waiters.splice(at, 1);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(err);
      };
      const onAbort = () => leave(signal!.reason);
      // The slot passes straight from the finishing item to this one, so `active` stays counted.
      const waiter = {
        admit() {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const timer = setTimeout(() => leave(shed('queue_wait')), options.maxWaitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.push(waiter);
    });
  };
  return {
    name,
    get active() {
      return active;
    },
    get queued() {
      return waiters.length;
    },
    async run(signal, work) {
      await acquire(signal);
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}

/** The same bound for whole routes (pages, similar papers, the widget), when `when` says the request is work. */
export function gated(gate: Gate, when: (query: Record<string, string>) => boolean = () => true): MiddlewareHandler {
  return async (c, next) => {
    if (!when(c.req.query())) return next();
    await gate.run(requestSignal(c), next);
  };
}
