import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../router.ts';
import { PaperIdParam, PaperResponse, SimilarBody, SimilarQuery, SimilarResponse, errorResponses } from '../schemas.ts';
import { getPaper } from '../../search/get-paper.ts';
import { similar } from '../../search/similar.ts';

const paperRoute = createRoute({
  method: 'get',
  path: '/api/papers/{id}',
  summary: 'One paper',
  request: { params: PaperIdParam },
  responses: { 200: { description: 'The paper', content: { 'application/json': { schema: PaperResponse } } }, ...errorResponses },
});

const similarToOneRoute = createRoute({
  method: 'get',
  path: '/api/papers/{id}/similar',
  summary: 'Papers similar to one paper (the paper itself excluded)',
  request: { params: PaperIdParam, query: SimilarQuery },
  responses: { 200: { description: 'Similar papers', content: { 'application/json': { schema: SimilarResponse } } }, ...errorResponses },
});

const similarToManyRoute = createRoute({
  method: 'post',
  path: '/api/similar',
  summary: 'More like these, less like those',
  request: { body: { content: { 'application/json': { schema: SimilarBody } }, required: true } },
  responses: { 200: { description: 'Similar papers', content: { 'application/json': { schema: SimilarResponse } } }, ...errorResponses },
});

export function paperRoutes() {
  return createRouter()
    .openapi(paperRoute, (c) => c.json(getPaper(c.get('ctx'), c.req.valid('param').id), 200))
    .openapi(similarToOneRoute, async (c) => {
      const { id } = c.req.valid('param');
      const { k, mode } = c.req.valid('query');
      return c.json(await similar(c.get('ctx'), { positive: [id], negative: [], k, mode }), 200);
    })
    .openapi(similarToManyRoute, async (c) => c.json(await similar(c.get('ctx'), c.req.valid('json')), 200));
}
