import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Hono, type Context } from 'hono';
import type { AppDeps, AppEnv } from '../deps.ts';
import { LIMITS, SearchPageQuery } from '../schemas.ts';
import { validationError } from '../validation.ts';
import { search } from '../../search/search.ts';
import { requestSignal } from '../deadline.ts';
import { similar } from '../../search/similar.ts';
import { getPaper } from '../../search/get-paper.ts';
import { listTopics, topicPapers } from '../../topics/topic-queries.ts';
import { renderPage } from '../../web/render.ts';
import { HomePage, SearchPage } from '../../web/search-page.tsx';
import { PaperPage } from '../../web/paper-page.tsx';
import { MapPage, TopicPage, TopicsPage } from '../../web/topic-pages.tsx';
import { LibraryPage, libraryHref, type Library, type Mark } from '../../web/library-page.tsx';
import type { SearchContext } from '../../search/context.ts';

const ASSETS: Record<string, string> = { 'style.css': 'text/css; charset=utf-8', 'app.js': 'text/javascript; charset=utf-8', 'library.js': 'text/javascript; charset=utf-8', 'search-form.js': 'text/javascript; charset=utf-8' };
const PAGE_SIZE = 10;

/** KaTeX's stylesheet and fonts, served from the installed package: no CDN. Browsers that read woff2 need nothing else. */
const katexDist = path.join(path.dirname(createRequire(import.meta.url).resolve('katex/package.json')), 'dist');
const KATEX_FONTS = fs.readdirSync(path.join(katexDist, 'fonts')).filter((f) => f.endsWith('.woff2'));

/** A page number from the query string; pages are links, so a bad value falls back instead of failing. */
function intParam(value: string | undefined, fallback: number, max: number): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? Math.min(n, max) : fallback;
}

function searchState(c: Context<AppEnv>) {
  const parsed = SearchPageQuery.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error, 'query');
  return parsed.data;
}

/** Ids from a comma-separated address parameter, at most `max`. */
const idList = (value: string | undefined, max: number) => [...new Set((value ?? '').split(',').map((id) => id.trim()).filter(Boolean))].slice(0, max);

/** The library in the address: unknown ids are reported, not fatal, since a shared link may outlive a paper. */
function libraryOf(ctx: SearchContext, c: Context<AppEnv>): Library {
  const marks = new Map<string, Mark>();
  for (const mark of ['more', 'less'] as const) for (const id of idList(c.req.query(mark), LIMITS.maxK)) marks.set(id, mark);
  const ids = idList([c.req.query('ids'), ...marks.keys()].join(','), LIMITS.maxK);
  const known = ids.filter((id) => ctx.index.labelOf.get(id) !== undefined);
  for (const id of marks.keys()) if (!known.includes(id)) marks.delete(id);
  return { papers: known.map((id) => getPaper(ctx, id)), marks, unknown: ids.filter((id) => !known.includes(id)) };
}

/** More like the "more" papers (or, with none marked, the unmarked ones), less like the "less" ones; saved papers are not recommended. */
async function recommend(ctx: SearchContext, library: Library, k: number) {
  const ids = library.papers.map((p) => p.id);
  const marked = (mark: Mark | undefined) => ids.filter((id) => library.marks.get(id) === mark).slice(0, LIMITS.maxIds);
  const positive = marked('more').length ? marked('more') : marked(undefined);
  if (!positive.length) return [];
  const saved = new Set(ids.map((id) => ctx.index.labelOf.get(id)));
  const { results } = await similar(ctx, { positive, negative: marked('less'), k, mode: 'hybrid', filter: (label) => !saved.has(label) });
  return results;
}

/** The web page: server-rendered with hono/jsx, one small script for the map, the library and keyboard shortcuts. */
export function pageRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const serve = (route: string, file: string, type: string, maxAge: number) => {
    const body = fs.readFileSync(file);
    app.get(route, (c) => c.body(body, 200, { 'content-type': type, 'cache-control': `public, max-age=${maxAge}` }));
  };
  for (const [file, type] of Object.entries(ASSETS)) serve(`/assets/${file}`, fileURLToPath(new URL(`../../web/assets/${file}`, import.meta.url)), type, 300);
  serve('/assets/katex/katex.min.css', path.join(katexDist, 'katex.min.css'), 'text/css; charset=utf-8', 86400);
  for (const font of KATEX_FONTS) serve(`/assets/katex/fonts/${font}`, path.join(katexDist, 'fonts', font), 'font/woff2', 86400);

  app.get('/', async (c) => {
    const state = searchState(c);
    if (!state.q) return renderPage(c, <HomePage papers={c.get('ctx').index.papers.size} topics={listTopics(c.get('ctx').index).topics} />);
    const answer = await search(c.get('ctx'), { q: state.q, k: PAGE_SIZE, offset: state.offset, mode: state.mode, yearFrom: state.year_from, yearTo: state.year_to, sort: state.sort, correct: state.correct }, requestSignal(c));
    const terms = new Set(answer.interpretation.terms);
    return renderPage(c, <SearchPage state={state} k={PAGE_SIZE} maxOffset={LIMITS.maxOffset} answer={answer} terms={terms} />);
  });

  app.get('/paper/:id', async (c) => {
    const paper = getPaper(c.get('ctx'), c.req.param('id'));
    const { results } = await similar(c.get('ctx'), { positive: [paper.id], negative: [], k: PAGE_SIZE, mode: 'hybrid' });
    const topics = c.get('ctx').index.topics;
    const topicId = topics?.topicOf.get(paper.id);
    const topic = topicId === undefined ? null : { ...topics!.byId.get(topicId)!, colour: topics!.colours[topicId] };
    return renderPage(c, <PaperPage paper={paper} similar={results} topic={topic} origin={deps.publicUrl} />);
  });

  app.get('/topics', (c) => renderPage(c, <TopicsPage topics={listTopics(c.get('ctx').index).topics} />));
  app.get('/topics/:id', (c) => {
    const offset = intParam(c.req.query('offset'), 0, c.get('ctx').index.papers.size);
    const page = topicPapers(c.get('ctx').index, intParam(c.req.param('id'), -1, Number.MAX_SAFE_INTEGER), PAGE_SIZE, offset);
    return renderPage(c, <TopicPage page={page} offset={offset} k={PAGE_SIZE} />);
  });
  app.get('/library', async (c) => {
    const library = libraryOf(c.get('ctx'), c);
    const href = deps.publicUrl + libraryHref(library.papers.map((p) => p.id), library.marks);
    return renderPage(c, <LibraryPage library={library} recommended={await recommend(c.get('ctx'), library, PAGE_SIZE)} href={href} />);
  });
  app.get('/map', (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, LIMITS.maxQueryLength);
    return renderPage(c, <MapPage topics={listTopics(c.get('ctx').index).topics} q={q} />);
  });
  return app;
}
