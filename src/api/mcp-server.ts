import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { SearchContext } from '../search/context.ts';
import { getPaper } from '../search/get-paper.ts';
import { formatCitations } from '../cite/formats.ts';
import { similar } from '../search/similar.ts';
import { listTopics, queryTopics, topicPapers } from '../topics/topic-queries.ts';
import { PaperIdParam, SearchQuery, SimilarBody, TopicPageQuery, TopicParam, TopicsQuery } from './schemas.ts';
import { searchAnswer } from './routes/search.ts';

/** A tool's answer: the same JSON as the HTTP API, as text for the model and as structured content for programs. */
function answer(value: object) {
  return { content: [{ type: 'text' as const, text: JSON.stringify(value) }], structuredContent: value as Record<string, unknown> };
}

/**
 * The Model Context Protocol face of the API: each tool takes the zod schema of
 * its HTTP twin (same fields, defaults and limits) and calls the same core
 * function, so an assistant sees exactly what the API answers. Built per
 * request, over the search context that request holds.
 */
export function mcpServer(ctx: SearchContext): McpServer {
  // The API's version, as /openapi.json states it.
  const server = new McpServer({ name: 'paperscope', version: '1' });
  server.registerTool(
    'search_papers',
    {
      title: 'Search papers',
      description:
        'Natural-language search over the titles and abstracts of the collection. A query may name a paper: "papers like ULIP about 3D point clouds". Filters: year_from, year_to; mode: hybrid (default), semantic or keyword; k results from offset.',
      inputSchema: SearchQuery,
      annotations: { readOnlyHint: true },
    },
    async (q) => answer(await searchAnswer(ctx, q)),
  );
  server.registerTool(
    'similar_papers',
    {
      title: 'Similar papers',
      description: 'Papers like the positive ids and unlike the negative ids ("more like these, less like those"); the given papers are excluded.',
      inputSchema: SimilarBody,
      annotations: { readOnlyHint: true },
    },
    async (body) => answer(await similar(ctx, body)),
  );
  server.registerTool(
    'get_paper',
    {
      title: 'Get a paper',
      description: 'One paper by id: title, abstract, authors, date, categories, link, and a BibTeX entry to cite it.',
      inputSchema: PaperIdParam,
      annotations: { readOnlyHint: true },
    },
    async ({ id }) => {
      const paper = getPaper(ctx, id);
      // The same entry as GET /api/papers/:id?format=bibtex.
      return answer({ ...paper, bibtex: formatCitations([paper], 'bibtex') });
    },
  );
  server.registerTool(
    'list_topics',
    {
      title: 'List topics',
      description:
        'The topics of the collection (label, distinctive terms, size, most representative papers), largest first; with q, the top n results of that query grouped into sub-topics instead.',
      inputSchema: TopicsQuery,
      annotations: { readOnlyHint: true },
    },
    async ({ q, n, mode }) => answer(q ? await queryTopics(ctx, q, n, mode) : listTopics(ctx.index)),
  );
  server.registerTool(
    'topic_papers',
    {
      title: "A topic's papers",
      description: "A page of one topic's papers (ids from list_topics), nearest the topic's centre first.",
      inputSchema: TopicParam.extend(TopicPageQuery.shape),
      annotations: { readOnlyHint: true },
    },
    async ({ id, k, offset }) => answer(topicPapers(ctx.index, id, k, offset)),
  );
  return server;
}
