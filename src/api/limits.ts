import type { ServerOptions } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PaperscopeError } from '../errors.ts';
import type { EdgeConfig } from '../edge-config.ts';

function limitTo(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new PaperscopeError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes`, { max_bytes: maxBytes });
    },
  });
}

/**
 * Bodies past the limit are refused with 413 while they stream in, never read
 * whole. Ingestion batches (POST /api/papers, up to 1,000 papers) get their own, larger limit.
 */
export function limitBody(maxBytes: number, ingestMaxBytes: number): MiddlewareHandler {
  const queries = limitTo(maxBytes);
  const ingest = limitTo(ingestMaxBytes);
  return (c, next) => {
    // Nothing reads a GET's or HEAD's body, and looking for one makes Node's adapter build a whole web Request per call.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return c.req.path === '/api/papers' ? ingest(c, next) : queries(c, next);
  };
}

/**
 * Node's own connection limits, tightened from its defaults (60 s for headers,
 * 5 min per request, checked every 30 s): a slow client cannot hold a socket
 * for long. The connection cap is set on the server object (maxConnections).
 */
export function serverOptions(edge: EdgeConfig): ServerOptions {
  return {
    headersTimeout: edge.headersTimeoutMs,
    requestTimeout: edge.requestTimeoutMs,
    keepAliveTimeout: edge.keepAliveTimeoutMs,
    // How often the two time-outs above are checked; Node's 30 s would let a slow client stay far past them.
    connectionsCheckingInterval: Math.min(1000, edge.headersTimeoutMs),
  };
}
