import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../router.ts';
import { StatsResponse } from '../schemas.ts';

const statsRoute = createRoute({
  method: 'get',
  path: '/api/stats',
  summary: 'Index statistics',
  responses: { 200: { description: 'What is indexed and how', content: { 'application/json': { schema: StatsResponse } } } },
});

export function metaRoutes() {
  const router = createRouter();
  router.get('/health', (c) => {
    const { ctx, id, builtAt, servingSince } = c.get('build');
    return c.json({ status: 'ok', papers: ctx.index.papers.size, build: id, built_at: builtAt, serving_since: servingSince });
  });
  return router.openapi(statsRoute, (c) => {
    const { ctx, id, servingSince } = c.get('build');
    const { manifest } = ctx.index;
    return c.json(
      {
        papers: manifest.count,
        model: manifest.model,
        dimension: manifest.dimension,
        index: manifest.ann,
        built_at: manifest.builtAt,
        format_version: manifest.formatVersion,
        build: id,
        serving_since: servingSince,
      },
      200,
    );
  });
}
