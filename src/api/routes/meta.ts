import { createRoute } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { createRouter } from '../router.ts';
import { StatsResponse } from '../schemas.ts';

const statsRoute = createRoute({
  method: 'get',
  path: '/api/stats',
  summary: 'Index statistics',
  responses: { 200: { description: 'What is indexed and how', content: { 'application/json': { schema: StatsResponse } } } },
});

export function metaRoutes(deps: AppDeps) {
  const { manifest } = deps.ctx.index;
  const router = createRouter();
  router.get('/health', (c) => c.json({ status: 'ok', papers: deps.ctx.index.papers.size }));
  return router.openapi(statsRoute, (c) =>
      c.json(
        {
          papers: manifest.count,
          model: manifest.model,
          dimension: manifest.dimension,
          index: manifest.ann,
          built_at: manifest.builtAt,
          format_version: manifest.formatVersion,
        },
        200,
      ),
    );
}
