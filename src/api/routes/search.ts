import { createRoute, type z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import { LRUCache } from 'lru-cache';
import type { SearchContext } from '../../search/context.ts';
import type { AppDeps } from '../deps.ts';
import { createRouter } from '../router.ts';
import { requestSignal } from '../deadline.ts';
import { SearchQuery, SearchResponse, errorResponses } from '../schemas.ts';
import { search } from '../../search/search.ts';
import { groupHits } from '../../topics/topic-queries.ts';

const route = createRoute({
  method: 'get',
  path: '/api/search',
  summary: 'Natural-language search',
  description: 'Searches titles and abstracts. Queries that name a paper ("papers like ULIP about 3D point clouds") combine that paper with the topic.',
  request: { query: SearchQuery },
  responses: { 200: { description: 'Ranked papers', content: { 'application/json': { schema: SearchResponse } } }, 400: errorResponses[400] },
});

type Answer = z.infer<typeof SearchResponse>;

/** Distinct queries whose answers are kept per build; popular queries repeat and a build never changes. */
const CACHED_ANSWERS = 5000;

const JSON_TYPE = { 'content-type': 'application/json' };

/** The answer to a validated search query; the MCP tool answers with the same. */
export async function searchAnswer(ctx: SearchContext, q: z.infer<typeof SearchQuery>, signal?: AbortSignal): Promise<Answer> {
  const response = await search(ctx, { q: q.q, k: q.k, offset: q.offset, mode: q.mode, yearFrom: q.year_from, yearTo: q.year_to, correct: q.correct, sort: q.sort }, signal);
  if (q.group !== 'topics') return response;
  return { ...response, groups: await groupHits(ctx, response.results.map((r) => r.id), response.interpretation.about || q.q, signal) };
}

export function searchRoutes(gates: AppDeps['gates']) {
  // Keyed by the build's context: a swapped-in build starts with no answers, and the old build's go with it.
  // Kept serialized without took_ms: a popular query is answered by copying a string, not re-encoding the answer.
  const answersByBuild = new WeakMap<SearchContext, LRUCache<string, string>>();
  // Answers come from the cache without waiting; new ones pass the gate (grouped ones the clustering gate).
  const answer = (ctx: SearchContext, q: z.infer<typeof SearchQuery>, signal: AbortSignal | undefined) =>
    (q.group === 'topics' ? gates.topics : gates.search).run(signal, () => searchAnswer(ctx, q, signal));
  return createRouter().openapi(route, async (c) => {
    const started = performance.now();
    const ctx = c.get('ctx');
    const q = c.req.valid('query');
    let answers = answersByBuild.get(ctx);
    if (!answers) answersByBuild.set(ctx, (answers = new LRUCache<string, string>({ max: CACHED_ANSWERS })));
    const key = JSON.stringify(q);
    const cached = answers.get(key);
    // The body is the Answer's JSON, typed as such for the route: c.json would encode it again.
    if (cached) return c.body(`${cached.slice(0, -1)},"took_ms":${Math.round((performance.now() - started) * 100) / 100}}`, 200, JSON_TYPE) as unknown as TypedResponse<Answer, 200, 'json'>;
    const fresh = await answer(ctx, q, requestSignal(c));
    answers.set(key, JSON.stringify({ ...fresh, took_ms: undefined }));
    return c.json(fresh, 200);
  });
}
