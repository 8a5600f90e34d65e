import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { createRouter } from '../router.ts';
import { ErrorResponse, PaperIdParam, errorResponses } from '../schemas.ts';
import { GenericRecord, toFields } from '../../../indexer/readers/generic.ts';
import { toPaper } from '../../../indexer/readers/records.ts';
import { contentHash } from '../../text/normalize.ts';
import { PaperscopeError } from '../../errors.ts';
import type { IngestOp } from '../../ingest/jobs.ts';
import type { ApiKeys } from '../../ingest/api-keys.ts';
import type { IngestQueue } from '../../ingest/queue.ts';

/** Papers per POST: a bigger batch belongs in several requests (or a feed). */
export const MAX_BATCH = 1000;

/** A single paper is accepted as is and treated as a batch of one. */
const PapersBody = z.preprocess(
  (body) => (body && typeof body === 'object' && !Array.isArray(body) && !('papers' in body) ? { papers: [body] } : body),
  z
    .object({ papers: z.array(GenericRecord).min(1, 'needs at least one paper').max(MAX_BATCH, `at most ${MAX_BATCH} papers per request`) })
    .strict(),
).openapi({ description: 'One paper in the indexer\'s generic format (`id`, `title`, `abstract`, `authors`, `year`, `date`, `url`, `categories`), or `{ "papers": [...] }`' });

const JobRefSchema = z.object({ id: z.string(), paper_id: z.string(), kind: z.enum(['upsert', 'delete']) }).openapi('JobRef');
const Accepted = z.object({ jobs: z.array(JobRefSchema) });
const JobStatusSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['upsert', 'delete']),
    paper_id: z.string(),
    state: z.enum(['queued', 'active', 'embedded', 'done', 'failed']),
    attempts: z.number().int(),
    error: z.string().nullable(),
    created_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .openapi('Job');
const JobIdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }) });

const authResponses = {
  401: { description: 'No API key', content: { 'application/json': { schema: ErrorResponse } } },
  403: { description: 'Wrong or revoked API key', content: { 'application/json': { schema: ErrorResponse } } },
} as const;
const security = [{ bearer: [] }];

export interface IngestDeps {
  queue: IngestQueue;
  keys: ApiKeys;
}

/** Runs before body validation, so an unauthenticated caller learns nothing about the body's shape. */
function requireKey(keys: ApiKeys): MiddlewareHandler {
  return async (c, next) => {
    try {
      keys.check(c.req.header('authorization'));
    } catch (err) {
      if (err instanceof PaperscopeError && err.code === 'UNAUTHORIZED') c.header('WWW-Authenticate', 'Bearer');
      throw err;
    }
    await next();
  };
}

/** Writes behind API keys; reading a job's state is public like every other read. */
export function ingestRoutes(ingest: IngestDeps) {
  const auth = requireKey(ingest.keys);
  const postRoute = createRoute({
    method: 'post',
    path: '/api/papers',
    summary: 'Add or update papers (API key)',
    security,
    middleware: [auth],
    request: { body: { content: { 'application/json': { schema: PapersBody } }, required: true } },
    responses: { 202: { description: 'Durably queued; poll the jobs', content: { 'application/json': { schema: Accepted } } }, ...errorResponses, ...authResponses },
  });
  const deleteRoute = createRoute({
    method: 'delete',
    path: '/api/papers/{id}',
    summary: 'Remove a paper (API key)',
    security,
    middleware: [auth],
    request: { params: PaperIdParam },
    responses: { 202: { description: 'Durably queued; poll the jobs', content: { 'application/json': { schema: Accepted } } }, ...errorResponses, ...authResponses },
  });
  const jobRoute = createRoute({
    method: 'get',
    path: '/api/jobs/{id}',
    summary: 'The state of an ingestion job',
    request: { params: JobIdParam },
    responses: { 200: { description: 'The job', content: { 'application/json': { schema: JobStatusSchema } } }, ...errorResponses },
  });

  return createRouter()
    .openapi(postRoute, async (c) => {
      const ops: IngestOp[] = c.req.valid('json').papers.map((record, i) => {
        const paper = toPaper(toFields(record), 'api');
        if (!paper.title) throw new PaperscopeError('INVALID_INPUT', `Invalid json field "papers.${i}.title": must not be empty`, [{ field: `papers.${i}.title`, problem: 'must not be empty' }]);
        return { kind: 'upsert', paper: { ...paper, contentHash: contentHash(paper) } };
      });
      return c.json({ jobs: await ingest.queue.submit(ops) }, 202);
    })
    .openapi(deleteRoute, async (c) => c.json({ jobs: await ingest.queue.submit([{ kind: 'delete', id: c.req.valid('param').id }]) }, 202))
    .openapi(jobRoute, async (c) => {
      const status = await ingest.queue.status(c.req.valid('param').id);
      if (!status) throw new PaperscopeError('JOB_NOT_FOUND', undefined, { id: c.req.valid('param').id });
      return c.json(status, 200);
    });
}
