import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { PaperscopeError, type ErrorCode } from '../errors.ts';
import { ErrorPage } from '../web/error-page.tsx';
import { renderPage } from '../web/render.ts';

/** Machine-facing paths keep JSON errors; everything else is a page a person opened, and gets an HTML page. */
const MACHINE_PATH = /^\/(?:api\/|mcp(?:\/|$)|metrics$|health$|openapi\.json$|widget)/;

/** Hono's own exceptions (malformed JSON, wrong content type, body too large) by status, in the one error shape. */
const HTTP_EXCEPTION_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'INVALID_INPUT',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'OVERLOADED',
};

/** Errors that tell the client when to come back carry `details.retry_after_s`; it becomes the Retry-After header too. */
function retryAfter(err: PaperscopeError): string | undefined {
  const s = (err.details as { retry_after_s?: unknown } | null)?.retry_after_s;
  return typeof s === 'number' ? String(Math.max(1, Math.ceil(s))) : undefined;
}

export function errorResponse(c: Context, err: PaperscopeError): Response | Promise<Response> {
  const after = retryAfter(err);
  if (after) c.header('retry-after', after);
  if (MACHINE_PATH.test(c.req.path)) return c.json(err.toJSON(), err.status as ContentfulStatusCode);
  return renderPage(c, ErrorPage({ error: err, path: c.req.path }), err.status as ContentfulStatusCode);
}

/** The one place where errors become HTTP responses. */
export function handleError(err: Error, c: Context): Response | Promise<Response> {
  if (err instanceof PaperscopeError) return errorResponse(c, err);
  if (err instanceof HTTPException) {
    const code = HTTP_EXCEPTION_CODES[err.status];
    if (code) return errorResponse(c, new PaperscopeError(code, code === 'INVALID_INPUT' ? err.message || undefined : undefined));
    return c.json(new PaperscopeError('INTERNAL', err.message).toJSON(), err.status as ContentfulStatusCode);
  }
  console.error(err);
  return errorResponse(c, new PaperscopeError('INTERNAL'));
}

export function handleNotFound(c: Context): Response | Promise<Response> {
  return errorResponse(c, new PaperscopeError('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`));
}
