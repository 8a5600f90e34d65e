import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../router.ts';
import type { Context } from 'hono';
import { PaperFormatQuery, PaperIdParam, PaperListQuery, PaperListResponse, PaperResponse, SimilarBody, SimilarQuery, SimilarResponse, errorResponses } from '../schemas.ts';
import { getPaper, getPapers, type PaperView } from '../../search/get-paper.ts';
import { similar } from '../../search/similar.ts';
import { CITATION_FORMATS, formatCitations, type CitationFormat } from '../../cite/formats.ts';

/** The citation formats as OpenAPI response content, next to JSON. */
const citationContent = Object.fromEntries(Object.values(CITATION_FORMATS).map((f) => [f.type.split(';')[0], { schema: { type: 'string' as const } }]));

/** A citation file; `download` names it so that a browser saves it rather than showing it. */
function citations(c: Context, papers: PaperView[], format: CitationFormat, name: string): Response {
  const { type, extension } = CITATION_FORMATS[format];
  const disposition = c.req.query('download') === undefined ? 'inline' : `attachment; filename="${name.replace(/[^\w.-]/g, '_')}.${extension}"`;
  return c.body(formatCitations(papers, format), 200, { 'content-type': type, 'content-disposition': disposition });
}

const paperRoute = createRoute({
  method: 'get',
  path: '/api/papers/{id}',
  summary: 'One paper',
  request: { params: PaperIdParam, query: PaperFormatQuery },
  responses: { 200: { description: 'The paper, or its citation', content: { 'application/json': { schema: PaperResponse }, ...citationContent } }, ...errorResponses },
});

const paperListRoute = createRoute({
  method: 'get',
  path: '/api/papers',
  summary: 'Several papers by id, or their citations (export a page of results or a library)',
  request: { query: PaperListQuery },
  responses: { 200: { description: 'The papers in the order asked, or their citations', content: { 'application/json': { schema: PaperListResponse }, ...citationContent } }, ...errorResponses },
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
    .openapi(paperRoute, (c) => {
      const paper = getPaper(c.get('ctx'), c.req.valid('param').id);
      const { format } = c.req.valid('query');
      return format === 'json' ? c.json(paper, 200) : (citations(c, [paper], format, paper.id) as never);
    })
    .openapi(paperListRoute, (c) => {
      const { ids, format } = c.req.valid('query');
      const papers = getPapers(c.get('ctx'), ids);
      return format === 'json' ? c.json({ papers }, 200) : (citations(c, papers, format, 'papers') as never);
    })
    .openapi(similarToOneRoute, async (c) => {
      const { id } = c.req.valid('param');
      const { k, mode } = c.req.valid('query');
      return c.json(await similar(c.get('ctx'), { positive: [id], negative: [], k, mode }), 200);
    })
    .openapi(similarToManyRoute, async (c) => c.json(await similar(c.get('ctx'), c.req.valid('json')), 200));
}
