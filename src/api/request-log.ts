import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';

/** One log line per request, written when the response is ready. Query strings are not logged. */
export function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    logger.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - started) * 100) / 100 }, 'request');
  };
}
