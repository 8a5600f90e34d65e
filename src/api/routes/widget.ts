import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { PaperscopeError } from '../../errors.ts';
import type { AppDeps } from '../deps.ts';
import { createRouter } from '../router.ts';
import { PAPER_ID_MAX_LENGTH } from '../../types.ts';
import { Hit, LIMITS, PaperIdParam, errorResponses } from '../schemas.ts';
import { relatedPapers, resolvePaper } from '../../web/related.ts';
import { WIDGET_PAGE_CSP, WIDGET_SCRIPT, WIDGET_SCRIPT_CSP, widgetPage } from '../../web/widget-page.ts';

const k = z.coerce.number().int().min(1).max(20).default(5);
const link = z
  .enum(['arxiv', 'paperscope'])
  .default('arxiv')
  .openapi({ description: "arxiv: titles link to the paper's arXiv page (else its own url, else Paperscope); paperscope: to its Paperscope page" });

const RelatedQuery = z
  .object({
    id: z.string().min(1).max(PAPER_ID_MAX_LENGTH).optional(),
    arxiv_id: z.string().min(1).max(50).optional().openapi({ example: '0704.0001' }),
    title: z
      .string()
      .trim()
      .min(1)
      .max(LIMITS.maxQueryLength)
      .optional()
      .openapi({ description: 'Full title (case, accents, punctuation and hyphens ignored: "Pretraining" finds "Pre-training"), or the short name before its colon' }),
    k,
    link,
  })
  .refine((v) => v.id || v.arxiv_id || v.title, { message: 'give id, arxiv_id or title', path: ['id'] });

const RelatedPaper = z.object({
  id: z.string(),
  title: z.string(),
  authors: z.array(z.string()),
  year: z.number().int().nullable(),
  date: z.string().nullable(),
  url: z.string().openapi({ description: 'Where the title leads: arXiv, the paper\'s own page, or its Paperscope page (link=paperscope)' }),
});
const RelatedResponse = z.object({ paper: RelatedPaper, related: z.array(Hit.extend({ url: RelatedPaper.shape.url })) }).openapi('Related');

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
  request: { params: PaperIdParam, query: z.object({ k, theme: z.enum(['light', 'dark', 'auto']).default('auto'), link }) },
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
  /** The iframe page, with its own policy: frameable anywhere, no script, its stylesheet pinned by hash. */
  const widgetHtml = (c: Context, body: ReturnType<typeof widgetPage>, status: 200 | 400 | 404) => {
    c.header('content-security-policy', WIDGET_PAGE_CSP);
    c.header('access-control-allow-origin', '*');
    c.header('x-content-type-options', 'nosniff');
    return c.html(body, status);
  };
  return router
    .openapi(relatedRoute, async (c) => {
      const q = c.req.valid('query');
      const label = resolvePaper(c.get('ctx'), { id: q.id, arxivId: q.arxiv_id, title: q.title });
      return c.json(await relatedPapers(c.get('ctx'), label, q.k, { target: q.link, publicUrl: deps.publicUrl }), 200);
    })
    .openapi(
      widgetRoute,
      async (c) => {
        const { k: count, theme, link: target } = c.req.valid('query');
        let label: number;
        try {
          label = resolvePaper(c.get('ctx'), { id: c.req.valid('param').id });
        } catch (err) {
          // Visitors of the embedding site read a plain sentence in the frame, not the API's message.
          if (err instanceof PaperscopeError && err.code === 'PAPER_NOT_FOUND') return widgetHtml(c, widgetPage(null, [], theme), 404);
          throw err;
        }
        const { paper, related } = await relatedPapers(c.get('ctx'), label, count, { target, publicUrl: deps.publicUrl });
        return widgetHtml(c, widgetPage(paper, related, theme), 200);
      },
      // A bad k or theme in an embed is the site author's slip; the frame still shows the plain sentence.
      (result, c) => {
        if (!result.success) return widgetHtml(c, widgetPage(null, [], 'auto'), 400);
      },
    );
}
