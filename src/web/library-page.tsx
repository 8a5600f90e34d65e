import type { PaperView } from '../search/get-paper.ts';
import type { PaperHit } from '../types.ts';
import { Layout } from './layout.tsx';
import { PaperList, ReadLinks, byline, paperPath } from './paper-list.tsx';
import { RichText } from './rich-text.tsx';
import { ExportLinks } from './search-page.tsx';

export type Mark = 'more' | 'less';

/** A library as its address holds it: the saved papers in order, and which of them are marked. */
export interface Library {
  papers: PaperView[];
  marks: Map<string, Mark>;
  /** Ids in the address that this collection does not (or no longer) hold. */
  unknown: string[];
}

/** The library's address: what the page shows and what a reader shares. */
export function libraryHref(ids: string[], marks: Map<string, Mark>): string {
  const params = new URLSearchParams();
  const marked = (mark: Mark) => ids.filter((id) => marks.get(id) === mark).join(',');
  if (ids.length) params.set('ids', ids.join(','));
  if (marked('more')) params.set('more', marked('more'));
  if (marked('less')) params.set('less', marked('less'));
  return `/library${params.size ? `?${params}` : ''}`;
}

function MarkButtons({ id, mark }: { id: string; mark: Mark | undefined }) {
  return (
    <span class="marks" hidden>
      <button type="button" class="mark" data-id={id} data-mark="more" aria-pressed={mark === 'more' ? 'true' : 'false'}>
        More like this
      </button>
      <button type="button" class="mark" data-id={id} data-mark="less" aria-pressed={mark === 'less' ? 'true' : 'false'}>
        Less like this
      </button>
      <button type="button" class="remove" data-id={id}>
        Remove
      </button>
    </span>
  );
}

function Saved({ library }: { library: Library }) {
  return (
    <ol class="hits saved">
      {library.papers.map((p) => {
        const mark = library.marks.get(p.id);
        return (
          <li class="hit" data-id={p.id} data-mark={mark ?? ''}>
            <a class="hit-title" href={paperPath(p.id)}>
              <RichText text={p.title} />
            </a>
            {mark && <span class={`badge ${mark}`}>{mark === 'more' ? 'more like this' : 'less like this'}</span>}
            <div class="meta">
              <span>{byline(p.authors, p.year, p.date)}</span>
              <ReadLinks paper={p} />
              <MarkButtons id={p.id} mark={mark} />
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/**
 * The library: saved papers, kept in the browser (app.js) and mirrored in this
 * page's address, so the page is rendered here and a link shares it. The
 * recommendations are "more like these, less like those" over the marks.
 */
export function LibraryPage({ library, recommended, href }: { library: Library; recommended: PaperHit[]; href: string }) {
  const ids = library.papers.map((p) => p.id);
  return (
    <Layout title="Library">
      <h1>Library</h1>
      <p class="shared-note" hidden>
        This library was shared with you. <button type="button" class="adopt">Keep these papers in my library</button>
      </p>
      {library.unknown.length > 0 && <p class="note">{library.unknown.length} saved {library.unknown.length === 1 ? 'paper is' : 'papers are'} not in this collection.</p>}
      {ids.length === 0 ? (
        <div class="empty">
          <p>Your library is empty. Press “Save” on any paper to keep it here: the library lives in this browser, no account needed.</p>
          <p>Then mark papers “more like this” or “less like this”, and Paperscope recommends papers from your marks.</p>
        </div>
      ) : (
        <>
          <p class="count">
            {ids.length} saved {ids.length === 1 ? 'paper' : 'papers'}. Mark them “more like this” or “less like this” to steer the recommendations.
          </p>
          <Saved library={library} />
          <ExportLinks ids={ids} label="Export the library:" />
          <p class="share">
            <label>
              Share this library: <input type="text" readonly value={href} class="share-link" />
            </label>
          </p>
          <section id="recommended">
            <h2>Recommended for this library</h2>
            {recommended.length ? <PaperList hits={recommended} terms={new Set()} /> : <p class="count">Mark at least one paper “more like this”, or keep one unmarked, to get recommendations.</p>}
          </section>
        </>
      )}
    </Layout>
  );
}
