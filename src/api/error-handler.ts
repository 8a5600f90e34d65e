import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { PaperscopeError } from '../errors.ts';

/** The one place where errors become HTTP responses. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof PaperscopeError) return c.json(err.toJSON(), err.status as ContentfulStatusCode);
  if (err instanceof HTTPException) {
    // Hono raises these for malformed bodies (e.g. invalid JSON).
    const e = new PaperscopeError(err.status === 400 ? 'INVALID_INPUT' : 'INTERNAL', err.message || 'Bad request');
    return c.json(e.toJSON(), err.status as ContentfulStatusCode);
  }
  console.error(err);
  return c.json(new PaperscopeError('INTERNAL').toJSON(), 500);
}

export function handleNotFound(c: Context): Response {
  return c.json(new PaperscopeError('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`).toJSON(), 404);
}
