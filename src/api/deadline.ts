import type { Context, MiddlewareHandler } from 'hono';
import { PaperscopeError } from '../errors.ts';

/** The request's signal: aborted at its deadline or when its client goes away. */
export function requestSignal(c: Context): AbortSignal | undefined {
  return c.get('signal') as AbortSignal | undefined;
}

/**
 * Every request gets a deadline. Its signal (`requestSignal(c)`) aborts at the
 * deadline or when the client closes the connection, so queued work is dropped
 * and running clustering stops; the client gets 503 DEADLINE_EXCEEDED at the
 * deadline even if some work cannot be interrupted, instead of waiting on it.
 */
export function deadline(ms: number, onExpired: () => void): MiddlewareHandler {
  return async (c, next) => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      onExpired();
      controller.abort(new PaperscopeError('DEADLINE_EXCEEDED', `No answer within the ${ms} ms deadline`, { deadline_ms: ms, retry_after_s: 1 }));
    }, ms);
    const client = c.req.raw.signal;
    const onClose = () => controller.abort(new PaperscopeError('CLIENT_CLOSED'));
    client.addEventListener('abort', onClose, { once: true });
    c.set('signal', controller.signal);
    const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }));
    const work = next();
    // Whichever loses the race must not become an unhandled rejection.
    aborted.catch(() => undefined);
    work.catch(() => undefined);
    try {
      await Promise.race([work, aborted]);
    } finally {
      clearTimeout(timer);
      client.removeEventListener('abort', onClose);
    }
  };
}
