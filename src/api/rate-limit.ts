import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { rateLimiter } from 'hono-rate-limiter';
import { PaperscopeError } from '../errors.ts';

/** The client's address: the socket's, or the first X-Forwarded-For hop when a trusted proxy sets it. */
function clientKey(trustProxy: boolean) {
  return (c: Context): string => {
    const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
    return forwarded || getConnInfo(c).remote.address || 'unknown';
  };
}

/**
 * Per-client rate limit (hono-rate-limiter, in memory: one process serves one
 * node), a fixed one-minute window, with the draft-7 RateLimit headers. Probes
 * (/health, /metrics) are exempt. Over the limit: 429 RATE_LIMITED with Retry-After.
 */
export function rateLimit(perMinute: number, trustProxy: boolean, onLimited: () => void): MiddlewareHandler {
  if (perMinute <= 0) return (_, next) => next();
  const windowMs = 60_000;
  return rateLimiter({
    windowMs,
    limit: perMinute,
    standardHeaders: 'draft-7',
    keyGenerator: clientKey(trustProxy),
    skip: (c) => c.req.path === '/health' || c.req.path === '/metrics',
    handler: (c) => {
      onLimited();
      const reset = c.get('rateLimit')?.resetTime as Date | undefined;
      const retryAfterS = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : windowMs / 1000;
      throw new PaperscopeError('RATE_LIMITED', undefined, { limit_per_minute: perMinute, retry_after_s: retryAfterS });
    },
  });
}
