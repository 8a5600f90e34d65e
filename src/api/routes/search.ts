import { createRoute } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { createRouter } from '../router.ts';
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

export function searchRoutes(deps: AppDeps) {
  return createRouter().openapi(route, async (c) => {
    const q = c.req.valid('query');
    const response = await search(deps.ctx, { q: q.q, k: q.k, offset: q.offset, mode: q.mode, yearFrom: q.year_from, yearTo: q.year_to });
    if (q.group !== 'topics') return c.json(response, 200);
    const groups = groupHits(deps.ctx.index, response.results.map((r) => r.id), response.interpretation.about || q.q);
    return c.json({ ...response, groups }, 200);
  });
}
