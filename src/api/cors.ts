import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/**
 * Reads are open to every origin, so that other sites can fetch papers and
 * related papers from the browser (no credentials, no state). Everything else
 * stays same-origin: a preflight only ever allows GET and HEAD, and other
 * methods get no Access-Control-Allow-Origin, so another site cannot read the
 * answer. That includes POST /api/similar: it is a query, but a body of up to
 * 100 ids costs real work, and keeping POST same-origin leaves room for writes
 * (ingestion) without reopening this decision.
 */
export function crossOriginReads(): MiddlewareHandler {
  const preflight = cors({ origin: '*', allowMethods: ['GET', 'HEAD'] });
  return (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    // A read needs only this header, which is all cors() adds to one with origin '*'. Set with c.header() before
    // the handler, it goes out with the answer; cors() sets it on c.res, and Hono then rebuilds every answer
    // around its body as a stream, which @hono/node-server must read back through web streams.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') c.header('Access-Control-Allow-Origin', '*');
    return next();
  };
}
