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
  const open = cors({ origin: '*', allowMethods: ['GET', 'HEAD'] });
  return (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS' ? open(c, next) : next());
}
