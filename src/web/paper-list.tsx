import type { PaperHit } from '../types.ts';
import { Highlight } from './highlight.tsx';
import { paperLink } from './paper-link.ts';

export const paperPath = (id: string) => `/paper/${encodeURIComponent(id)}`;

export function byline(authors: string[], year: number | null): string {
  const names = authors.slice(0, 4).join(', ') + (authors.length > 4 ? ' et al.' : '');
  return [names, year].filter(Boolean).join(' · ');
}

/** A ranked list of papers: title to the paper view, a "similar" link, a link out, the matching passage. */
export function PaperList({ hits, terms, start = 1 }: { hits: PaperHit[]; terms: Set<string>; start?: number }) {
  return (
    <ol class="hits" start={start}>
      {hits.map((h) => {
        const out = paperLink(h);
        return (
          <li class="hit">
            <a class="hit-title" href={paperPath(h.id)}>
              <Highlight text={h.title} terms={terms} />
            </a>
            <div class="meta">
              {byline(h.authors, h.year) && <span>{byline(h.authors, h.year)}</span>}
              <a href={`${paperPath(h.id)}#similar`}>Similar</a>
              {out && (
                <a href={out} rel="noopener noreferrer">
                  {out.includes('arxiv.org') ? 'arXiv' : 'Source'}
                </a>
              )}
            </div>
            {h.snippet && (
              <p class="snippet">
                <Highlight text={h.snippet} terms={terms} />
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
