import fs from 'node:fs';
import { Hono, type Context } from 'hono';
import type { AppDeps, AppEnv } from '../deps.ts';
import { LIMITS } from '../schemas.ts';
import { search } from '../../search/search.ts';
import { similar } from '../../search/similar.ts';
import { getPaper } from '../../search/get-paper.ts';
import { listTopics, topicPapers } from '../../topics/topic-queries.ts';
import { PAGE_CSP } from '../../web/layout.tsx';
import { HomePage, SearchPage } from '../../web/search-page.tsx';
import { PaperPage } from '../../web/paper-page.tsx';
import { MapPage, TopicPage, TopicsPage } from '../../web/topic-pages.tsx';

const ASSETS: Record<string, string> = { 'style.css': 'text/css; charset=utf-8', 'app.js': 'text/javascript; charset=utf-8' };
const PAGE_SIZE = 10;

/** A page number from the query string; pages are links, so a bad value falls back instead of failing. */
function intParam(value: string | undefined, fallback: number, max: number): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? Math.min(n, max) : fallback;
}

function render(c: Context, page: Parameters<Context['html']>[0]) {
  c.header('content-security-policy', PAGE_CSP);
  return c.html(page);
}

/** The web page: server-rendered with hono/jsx, one small script for the map and keyboard shortcuts. */
export function pageRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  for (const [file, type] of Object.entries(ASSETS)) {
    const body = fs.readFileSync(new URL(`../../web/assets/${file}`, import.meta.url));
    app.get(`/assets/${file}`, (c) => c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=300' }));
  }

  app.get('/', async (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, LIMITS.maxQueryLength);
    if (!q) return render(c, <HomePage papers={c.get('ctx').index.papers.size} topics={listTopics(c.get('ctx').index).topics} />);
    const offset = intParam(c.req.query('offset'), 0, LIMITS.maxOffset);
    const correct = c.req.query('correct') !== '0';
    const response = await search(c.get('ctx'), { q, k: PAGE_SIZE, offset, mode: 'hybrid', correct });
    const terms = new Set(response.interpretation.terms);
    return render(c, <SearchPage q={q} offset={offset} k={PAGE_SIZE} response={response} terms={terms} />);
  });

  app.get('/paper/:id', async (c) => {
    const paper = getPaper(c.get('ctx'), c.req.param('id'));
    const { results } = await similar(c.get('ctx'), { positive: [paper.id], negative: [], k: PAGE_SIZE, mode: 'hybrid' });
    const topics = c.get('ctx').index.topics;
    const topicId = topics?.topicOf.get(paper.id);
    const topic = topicId === undefined ? null : { ...topics!.byId.get(topicId)!, colour: topics!.colours[topicId] };
    return render(c, <PaperPage paper={paper} similar={results} topic={topic} origin={deps.publicUrl} />);
  });

  app.get('/topics', (c) => render(c, <TopicsPage topics={listTopics(c.get('ctx').index).topics} />));
  app.get('/topics/:id', (c) => {
    const offset = intParam(c.req.query('offset'), 0, c.get('ctx').index.papers.size);
    const page = topicPapers(c.get('ctx').index, intParam(c.req.param('id'), -1, Number.MAX_SAFE_INTEGER), PAGE_SIZE, offset);
    return render(c, <TopicPage page={page} offset={offset} k={PAGE_SIZE} />);
  });
  app.get('/map', (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, LIMITS.maxQueryLength);
    return render(c, <MapPage topics={listTopics(c.get('ctx').index).topics} q={q} />);
  });
  return app;
}
