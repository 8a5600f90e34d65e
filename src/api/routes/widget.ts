import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { createRouter } from '../router.ts';
import { LIMITS, PaperIdParam, errorResponses } from '../schemas.ts';
import { relatedPapers, resolvePaper } from '../../web/related.ts';
import { WIDGET_PAGE_CSP, WIDGET_SCRIPT, WIDGET_SCRIPT_CSP, widgetPage } from '../../web/widget-page.ts';

const k = z.coerce.number().int().min(1).max(20).default(5);

const RelatedQuery = z
  .object({
    id: z.string().min(1).max(200).optional(),
    arxiv_id: z.string().min(1).max(50).optional().openapi({ example: '0704.0001' }),
    title: z.string().trim().min(1).max(LIMITS.maxQueryLength).optional().openapi({ description: 'Full title, or the short name before its colon' }),
    k,
  })
  .refine((v) => v.id || v.arxiv_id || v.title, { message: 'give id, arxiv_id or title', path: ['id'] });

const Related = z.object({ id: z.string(), title: z.string(), authors: z.array(z.string()), year: z.number().int().nullable(), link: z.string().nullable() });
const RelatedResponse = z.object({ paper: Related, related: z.array(Related) }).openapi('Related');

const relatedRoute = createRoute({
  method: 'get',
  path: '/api/related',
  summary: "A paper's related papers with links out (what the widget shows)",
  request: { query: RelatedQuery },
  responses: { 200: { description: 'The paper and its related papers', content: { 'application/json': { schema: RelatedResponse } } }, ...errorResponses },
});

const widgetRoute = createRoute({
  method: 'get',
  path: '/widget/{id}',
  summary: 'The related-papers widget as a self-contained page for an iframe',
  request: { params: PaperIdParam, query: z.object({ k, theme: z.enum(['light', 'dark', 'auto']).default('auto') }) },
  responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } }, ...errorResponses },
});

export function widgetRoutes(deps: AppDeps) {
  const router = createRouter();
  router.get('/widget.js', (c) =>
    c.body(WIDGET_SCRIPT, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'access-control-allow-origin': '*',
      'content-security-policy': WIDGET_SCRIPT_CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=3600',
    }),
  );
  return router
    .openapi(relatedRoute, async (c) => {
      const q = c.req.valid('query');
      const label = resolvePaper(deps.ctx, { id: q.id, arxivId: q.arxiv_id, title: q.title });
      return c.json(await relatedPapers(deps.ctx, label, q.k), 200);
    })
    .openapi(widgetRoute, async (c) => {
      const { k: count, theme } = c.req.valid('query');
      const { paper, related } = await relatedPapers(deps.ctx, resolvePaper(deps.ctx, { id: c.req.valid('param').id }), count);
      c.header('content-security-policy', WIDGET_PAGE_CSP);
      c.header('access-control-allow-origin', '*');
      c.header('x-content-type-options', 'nosniff');
      return c.html(widgetPage(paper, related, theme), 200);
    });
}
