import type { TopicSummary, topicPapers } from '../topics/topic-queries.ts';
import { Layout } from './layout.tsx';
import { byline, paperPath } from './paper-list.tsx';
import { Swatch, TopicCards } from './topic-cards.tsx';

export function TopicsPage({ topics }: { topics: TopicSummary[] }) {
  return (
    <Layout title="Topics">
      <h1>
        {topics.length} topics <a class="aside" href="/map">see the map →</a>
      </h1>
      <TopicCards topics={topics} />
    </Layout>
  );
}

export function TopicPage({ page, offset, k }: { page: ReturnType<typeof topicPapers>; offset: number; k: number }) {
  const { topic, papers } = page;
  return (
    <Layout title={topic.label}>
      <h1>
        <Swatch colour={topic.colour} />
        {topic.label}
      </h1>
      <p class="terms">{topic.terms.join(' · ')}</p>
      <p class="count">
        {topic.size} papers, nearest the topic's centre first. <a href="/topics">All topics</a>
      </p>
      <ol class="hits" start={offset + 1}>
        {papers.map((p) => (
          <li class="hit">
            <a class="hit-title" href={paperPath(p.id)}>
              {p.title}
            </a>
            <div class="meta">{byline(p.authors, p.year)}</div>
          </li>
        ))}
      </ol>
      <nav class="pager">
        {offset > 0 && <a href={`/topics/${topic.id}?offset=${Math.max(0, offset - k)}`}>← Previous</a>}
        {offset + k < topic.size && <a href={`/topics/${topic.id}?offset=${offset + k}`}>More papers →</a>}
      </nav>
    </Layout>
  );
}

/** The map is drawn by app.js from /api/map; with q, the results of that search are highlighted on it. */
export function MapPage({ topics, q }: { topics: { id: number; label: string; size: number; colour: string }[]; q: string }) {
  return (
    <Layout title="Topic map">
      <h1>Topic map</h1>
      <p class="count">
        Every paper is a point, placed near papers with similar meaning (UMAP) and coloured by topic.{' '}
        <span class="hint-pointer">Hover a point to read its title, click to open the paper; scroll to zoom, drag to pan.</span>
        <span class="hint-touch">Tap a point to read its title; pinch to zoom, drag to pan.</span>
      </p>
      <form class="map-search" action="/map" method="get" role="search">
        <input type="search" name="q" value={q} placeholder="Highlight a search on the map" aria-label="Search to highlight on the map" autocomplete="off" />
        <button type="submit">Highlight</button>
      </form>
      <p id="map-status" class="count" role="status"></p>
      <div class="map-tools" role="group" aria-label="Zoom">
        <button type="button" data-zoom="in" aria-label="Zoom in">+</button>
        <button type="button" data-zoom="out" aria-label="Zoom out">−</button>
        <button type="button" data-zoom="reset">Reset</button>
      </div>
      <div id="map" class="map" data-src="/api/map" data-q={q} role="figure" aria-label="Map of the papers coloured by topic">
        <p class="loading">Loading the map…</p>
      </div>
      <ul class="legend" aria-label="Topics">
        {topics.map((t) => (
          <li>
            <a href={`/topics/${t.id}`}>
              <Swatch colour={t.colour} />
              {t.label} <span class="size">({t.size})</span>
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
