import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { LRUCache } from 'lru-cache';
import { createRouter } from '../router.ts';
import { requestSignal } from '../deadline.ts';
import { Hit, TopicPageQuery, TopicParam, TopicsQuery, errorResponses } from '../schemas.ts';
import { listTopics, queryTopics, topicMap, topicPapers } from '../../topics/topic-queries.ts';

/** A topic's colour on the map and its swatches, distinct for every topic of the collection. */
const Colour = z.string().regex(/^#[0-9a-f]{6}$/).openapi({ example: '#1a83db' });
const PaperRef = z.object({ id: z.string(), title: z.string() });
const Topic = z
  .object({ id: z.number().int(), label: z.string(), terms: z.array(z.string()), size: z.number().int(), colour: Colour, papers: z.array(PaperRef) })
  .openapi('Topic');

const TopicsResponse = z
  .object({
    topics: z.array(Topic),
    interpretation: z.object({ mode: z.string(), like: z.array(PaperRef), about: z.string(), unresolved: z.array(z.string()), note: z.string().nullable() }).optional(),
  })
  .openapi('Topics');

const TopicPapersResponse = z
  .object({
    topic: z.object({ id: z.number().int(), label: z.string(), terms: z.array(z.string()), size: z.number().int(), colour: Colour }),
    papers: z.array(Hit),
  })
  .openapi('TopicPapers');

const MapResponse = z
  .object({
    topics: z.array(z.object({ id: z.number().int(), label: z.string(), size: z.number().int(), colour: Colour })),
    points: z.array(z.object({ id: z.string(), x: z.number(), y: z.number(), topic: z.number().int(), title: z.string() })),
  })
  .openapi('TopicMap');

const topicsRoute = createRoute({
  method: 'get',
  path: '/api/topics',
  summary: 'The collection topics, or the sub-topics of a query',
  request: { query: TopicsQuery },
  responses: { 200: { description: 'Topics, largest first', content: { 'application/json': { schema: TopicsResponse } } }, 400: errorResponses[400] },
});

const topicRoute = createRoute({
  method: 'get',
  path: '/api/topics/{id}',
  summary: "A topic's papers, nearest its centre first",
  request: { params: TopicParam, query: TopicPageQuery },
  responses: { 200: { description: 'The topic and a page of its papers', content: { 'application/json': { schema: TopicPapersResponse } } }, ...errorResponses },
});

const mapRoute = createRoute({
  method: 'get',
  path: '/api/map',
  summary: 'The 2-D map of the collection (UMAP), for plotting',
  responses: { 200: { description: 'One point per paper', content: { 'application/json': { schema: MapResponse } } } },
});

/** Distinct topic queries whose clusterings are kept, per build: each costs a search plus k-means with silhouette. */
const CACHED_CLUSTERINGS = 1000;

export function topicRoutes(gates: AppDeps['gates']) {
  type Clustering = Awaited<ReturnType<typeof queryTopics>>;
  const byBuild = new WeakMap<object, LRUCache<string, Clustering>>();
  return createRouter()
    .openapi(topicsRoute, async (c) => {
      const { q, n, mode } = c.req.valid('query');
      const ctx = c.get('ctx');
      if (!q) return c.json(listTopics(ctx.index), 200);
      let clusterings = byBuild.get(ctx);
      if (!clusterings) byBuild.set(ctx, (clusterings = new LRUCache<string, Clustering>({ max: CACHED_CLUSTERINGS })));
      const key = JSON.stringify([q, n, mode]);
      let topics = clusterings.get(key);
      if (!topics) {
        const signal = requestSignal(c);
        topics = await gates.topics.run(signal, () => queryTopics(ctx, q, n, mode, signal));
        clusterings.set(key, topics);
      }
      return c.json(topics, 200);
    })
    .openapi(topicRoute, (c) => {
      const { k, offset } = c.req.valid('query');
      return c.json(topicPapers(c.get('ctx').index, c.req.valid('param').id, k, offset), 200);
    })
    .openapi(mapRoute, (c) => c.json(topicMap(c.get('ctx').index), 200));
}
