import type { SearchResponse } from '../search/search.ts';
import type { TopicSummary } from '../topics/topic-queries.ts';
import { Layout } from './layout.tsx';
import { PaperList, paperPath } from './paper-list.tsx';
import { TopicCards } from './topic-cards.tsx';

function Interpretation({ response }: { response: SearchResponse }) {
  const { like, about, note } = response.interpretation;
  if (!like.length && !note) return null;
  return (
    <p class="interpretation" role="status">
      {like.length > 0 && (
        <>
          Papers like{' '}
          {like.map((p, i) => (
            <>
              {i > 0 && ', '}
              <a href={paperPath(p.id)}>{p.title}</a>
            </>
          ))}
          {about ? (
            <>
              {' '}
              about <strong>{about}</strong>
            </>
          ) : null}
        </>
      )}
      {note && <span class="note">{note}</span>}
    </p>
  );
}

export function SearchPage({ q, offset, k, response, terms }: { q: string; offset: number; k: number; response: SearchResponse; terms: Set<string> }) {
  const more = offset + response.results.length < response.total;
  const { corrected } = response.interpretation;
  return (
    <Layout title={q} q={q}>
      {corrected && (
        <p class="corrected" role="status">
          Showing results for <a href={`/?q=${encodeURIComponent(corrected)}`}>{corrected}</a> — search instead for{' '}
          <a href={`/?q=${encodeURIComponent(q)}&correct=0`}>{q}</a>
        </p>
      )}
      <Interpretation response={response} />
      {response.match === 'weak' && response.results.length > 0 && <p class="weak">No strong matches for “{q}”; the closest papers are:</p>}
      <p class="count">
        {response.results.length ? `Results ${offset + 1}–${offset + response.results.length} of ${response.total.toLocaleString('en')}` : 'No papers match this search.'}{' '}
        <span class="took">({response.took_ms} ms)</span>
        {response.results.length > 0 && (
          <>
            {' '}
            <a href={`/map?q=${encodeURIComponent(q)}`}>See them on the map</a>
          </>
        )}
      </p>
      <PaperList hits={response.results} terms={terms} start={offset + 1} />
      <nav class="pager">
        {offset > 0 && <a href={`/?q=${encodeURIComponent(q)}&offset=${Math.max(0, offset - k)}`}>← Previous</a>}
        {more && <a href={`/?q=${encodeURIComponent(q)}&offset=${offset + k}`}>More results →</a>}
      </nav>
    </Layout>
  );
}

export function HomePage({ papers, topics }: { papers: number; topics: TopicSummary[] }) {
  return (
    <Layout title="Paperscope">
      <section class="intro">
        <h1>Search {papers.toLocaleString('en')} research papers by meaning</h1>
        <p>
          Ask in plain words, or name a paper: <a href="/?q=papers+like+ULIP+about+3D+point+clouds">papers like ULIP about 3D point clouds</a>. Press <kbd>/</kbd> to search.
        </p>
      </section>
      {topics.length > 0 && (
        <section>
          <h2>
            Topics <a class="aside" href="/map">see the map →</a>
          </h2>
          <TopicCards topics={topics} />
        </section>
      )}
    </Layout>
  );
}
