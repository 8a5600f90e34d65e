import type { OpenAPIHono } from '@hono/zod-openapi';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors.ts';
import { ErrorResponse } from './schemas.ts';

/** Answers the edge can give on any API operation, whatever the route declares: its limits and its failures. */
const EDGE_ERRORS: Record<string, ErrorCode[]> = {
  '429': ['RATE_LIMITED'],
  '500': ['INTERNAL'],
  '503': ['OVERLOADED', 'DEADLINE_EXCEEDED'],
};
/** And on operations that take a body. */
const BODY_ERRORS: Record<string, ErrorCode[]> = {
  '413': ['PAYLOAD_TOO_LARGE'],
  '415': ['UNSUPPORTED_MEDIA_TYPE'],
};
const RETRY_AFTER = { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } };

function errorResponse(codes: ErrorCode[]) {
  const retry = codes.some((c) => c === 'RATE_LIMITED' || c === 'OVERLOADED' || c === 'DEADLINE_EXCEEDED');
  return {
    description: codes.map((c) => `${c}: ${ERROR_CATALOGUE[c].message}`).join('; '),
    ...(retry ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

/** `get /api/papers/{id}/similar` → `getApiPapersIdSimilar`, for operations that do not name themselves. */
function operationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

type Operation = { operationId?: string; requestBody?: unknown; parameters?: { in: string; required?: boolean }[]; responses: Record<string, unknown> };

/**
 * The OpenAPI document, generated from the routes' zod schemas and completed
 * with what holds for every operation: the edge's error answers, required path
 * parameters, an operation id, the public server url and "no authentication".
 */
export function openApiDocument(app: OpenAPIHono<any>, publicUrl: string) {
  app.openAPIRegistry.register('Error', ErrorResponse);
  const doc = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Paperscope API', version: '1', description: 'Semantic search, similar papers and topics over a collection of research papers.' },
    servers: [{ url: publicUrl }],
    // Reading needs no credentials; an empty requirement says so explicitly.
    security: [],
  });
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      op.operationId ??= operationId(method, path);
      for (const p of op.parameters ?? []) if (p.in === 'path') p.required = true;
      const extra = op.requestBody ? { ...EDGE_ERRORS, ...BODY_ERRORS } : EDGE_ERRORS;
      for (const [status, codes] of Object.entries(extra)) op.responses[status] ??= errorResponse(codes);
    }
  }
  return doc;
}
