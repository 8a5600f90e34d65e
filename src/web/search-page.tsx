import type { SearchResponse } from '../search/search.ts';
import type { SearchMode, SearchSort } from '../types.ts';
import type { TopicSummary } from '../topics/topic-queries.ts';
import { CITATION_FORMATS } from '../cite/formats.ts';
import { Layout } from './layout.tsx';
import { PaperList, paperPath } from './paper-list.tsx';
import { RichText } from './rich-text.tsx';
import { TopicCards } from './topic-cards.tsx';

/** What the search page's address holds: the whole state, so that a search can be shared as a link. */
export interface SearchState {
  q: string;
  offset: number;
  year_from?: number;
  year_to?: number;
  mode: SearchMode;
  sort: SearchSort;
  /** False: the words as typed, without spelling correction. */
  correct: boolean;
}

type SearchAnswer = SearchResponse;

const DEFAULTS: Partial<SearchState> = { offset: 0, mode: 'hybrid', sort: 'relevance', correct: true };

/** The page's address for a state; defaults are left out so that links stay short. */
export function searchHref(state: SearchState, change: Partial<SearchState> = {}): string {
  const next = { ...state, ...change };
  const params = new URLSearchParams();
  for (const key of ['q', 'year_from', 'year_to', 'mode', 'sort', 'offset', 'correct'] as const) {
    const value = next[key];
    if (value !== undefined && value !== '' && value !== DEFAULTS[key]) params.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return `/?${params}`;
}

function Interpretation({ answer, state }: { answer: SearchAnswer; state: SearchState }) {
  const { like, about, note, corrected } = answer.interpretation;
  if (!like.length && !note && !corrected) return null;
  return (
    <p class="interpretation">
      {corrected && (
        <span class="corrected">
          Showing results for <a href={searchHref(state, { q: corrected, offset: 0 })}>{corrected}</a> — search instead for{' '}
          <a href={searchHref(state, { offset: 0, correct: false })}>{state.q}</a>
        </span>
      )}
      {like.length > 0 && (
        <span>
          Papers like{' '}
          {like.map((p, i) => (
            <>
              {i > 0 && ', '}
              <a href={paperPath(p.id)}>
                <RichText text={p.title} />
              </a>
            </>
          ))}
          {about ? (
            <>
              {' '}
              about <strong>{about}</strong>
            </>
          ) : null}
        </span>
      )}
      {note && <span class="note">{note}</span>}
    </p>
  );
}

/** The filters belong to the header's search form (form="search"), so a new query keeps them. */
function Filters({ state }: { state: SearchState }) {
  return (
    <fieldset class="filters">
      <legend class="visually-hidden">Filters and order</legend>
      <label>
        From <input form="search" type="number" name="year_from" min="1000" max="3000" inputmode="numeric" value={state.year_from ?? ''} placeholder="year" />
      </label>
      <label>
        to <input form="search" type="number" name="year_to" min="1000" max="3000" inputmode="numeric" value={state.year_to ?? ''} placeholder="year" />
      </label>
      <label>
        Match{' '}
        <select form="search" name="mode">
          <option value="hybrid" selected={state.mode === 'hybrid'}>words and meaning</option>
          <option value="semantic" selected={state.mode === 'semantic'}>meaning only</option>
          <option value="keyword" selected={state.mode === 'keyword'}>words only</option>
        </select>
      </label>
      <label>
        Sort{' '}
        <select form="search" name="sort">
          <option value="relevance" selected={state.sort === 'relevance'}>most relevant</option>
          <option value="newest" selected={state.sort === 'newest'}>newest first</option>
        </select>
      </label>
      <button form="search" type="submit" class="apply">
        Apply
      </button>
      {(state.year_from !== undefined || state.year_to !== undefined || state.mode !== 'hybrid' || state.sort !== 'relevance') && (
        <a href={searchHref({ q: state.q, offset: 0, mode: 'hybrid', sort: 'relevance', correct: state.correct })}>Clear filters</a>
      )}
    </fieldset>
  );
}

function countText(answer: SearchAnswer, offset: number): string {
  const range = `${offset + 1}–${offset + answer.results.length}`;
  const total = answer.total.toLocaleString('en');
  return `${range} of ${answer.total_is_estimate ? 'about ' : ''}${total} ${answer.total === 1 ? 'paper' : 'papers'}`;
}

/** When nothing matches, say so and offer the ways out: fewer filters, another kind of match. */
function Empty({ state }: { state: SearchState }) {
  const filtered = state.year_from !== undefined || state.year_to !== undefined;
  return (
    <div class="empty">
      <h1>No papers match “{state.q}”</h1>
      <ul>
        {filtered && (
          <li>
            <a href={searchHref(state, { year_from: undefined, year_to: undefined, offset: 0 })}>Search all years</a>
          </li>
        )}
        {state.mode !== 'semantic' && (
          <li>
            <a href={searchHref(state, { mode: 'semantic', offset: 0 })}>Search by meaning only</a>, which finds papers that use other words
          </li>
        )}
        <li>Check the spelling, or use fewer or more general words.</li>
      </ul>
    </div>
  );
}

/** Numbered pages up to the last one there is (or the last that `offset` may reach). */
function Pager({ state, answer, k, maxOffset }: { state: SearchState; answer: SearchAnswer; k: number; maxOffset: number }) {
  const page = Math.floor(state.offset / k);
  const reachable = Math.floor(maxOffset / k) + 1;
  const last = Math.min(Math.ceil(answer.total / k), reachable) - 1;
  if (last <= 0 && page === 0) return null;
  const first = Math.max(0, Math.min(page - 2, last - 4));
  const pages = Array.from({ length: Math.min(5, last - first + 1) }, (_, i) => first + i);
  return (
    <nav class="pager" aria-label="Pages">
      {page > 0 && (
        <a href={searchHref(state, { offset: (page - 1) * k })} rel="prev">
          ← Previous
        </a>
      )}
      {pages.map((p) =>
        p === page ? <span aria-current="page">{p + 1}</span> : <a href={searchHref(state, { offset: p * k })}>{p + 1}</a>,
      )}
      {page < last && (
        <a href={searchHref(state, { offset: (page + 1) * k })} rel="next">
          Next →
        </a>
      )}
    </nav>
  );
}

/** Links that download the shown papers as citations. */
export function ExportLinks({ ids, label }: { ids: string[]; label: string }) {
  if (!ids.length) return null;
  const list = ids.map(encodeURIComponent).join(',');
  return (
    <p class="export">
      {label}{' '}
      {Object.entries(CITATION_FORMATS).map(([format, f], i) => (
        <>
          {i > 0 && ' · '}
          <a href={`/api/papers?ids=${list}&format=${format}&download`} download>
            {f.label}
          </a>
        </>
      ))}
    </p>
  );
}

export function SearchPage({ state, k, maxOffset, answer, terms }: { state: SearchState; k: number; maxOffset: number; answer: SearchAnswer; terms: Set<string> }) {
  const { results } = answer;
  return (
    <Layout title={state.q} q={state.q}>
      <Filters state={state} />
      <Interpretation answer={answer} state={state} />
      {results.length === 0 ? (
        <Empty state={state} />
      ) : (
        <>
          <h1 class="visually-hidden">Results for “{state.q}”</h1>
          <p class="count">
            {countText(answer, state.offset)}
            {state.sort === 'newest' && ', newest first'} <span class="took">({answer.took_ms} ms)</span> <a href={`/map?q=${encodeURIComponent(state.q)}`}>See them on the map</a>
          </p>
          {answer.match === 'weak' && <p class="weak-match">No strong match for “{state.q}”: these papers match it only in part.</p>}
          {answer.match === 'none' && <p class="weak-match">Nothing matches “{state.q}” well: these are the nearest papers by meaning.</p>}
          <PaperList hits={results} terms={terms} start={state.offset + 1} />
          <Pager state={state} answer={answer} k={k} maxOffset={maxOffset} />
          <ExportLinks ids={results.map((r) => r.id)} label="Cite the papers on this page:" />
        </>
      )}
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
