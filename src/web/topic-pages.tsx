import type { TopicSummary, topicPapers } from '../topics/topic-queries.ts';
import { Layout } from './layout.tsx';
import { byline, paperPath } from './paper-list.tsx';
import { TopicCards, topicClass } from './topic-cards.tsx';

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
        <span class={`swatch ${topicClass(topic.id)}`} aria-hidden="true"></span>
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

export function MapPage({ topics }: { topics: { id: number; label: string; size: number }[] }) {
  return (
    <Layout title="Topic map">
      <h1>Topic map</h1>
      <p class="count">Every paper is a point, placed near papers with similar meaning (UMAP) and coloured by topic. Hover to read a title, click to open the paper.</p>
      <div id="map" class="map" data-src="/api/map" role="img" aria-label="Map of the papers coloured by topic">
        <p class="loading">Loading the map…</p>
      </div>
      <ul class="legend" aria-label="Topics">
        {topics.map((t) => (
          <li>
            <a href={`/topics/${t.id}`}>
              <span class={`swatch ${topicClass(t.id)}`} aria-hidden="true"></span>
              {t.label} <span class="size">({t.size})</span>
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
