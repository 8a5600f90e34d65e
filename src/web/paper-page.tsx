import type { PaperView } from '../search/get-paper.ts';
import type { PaperHit } from '../types.ts';
import { CITATION_FORMATS, formatCitations } from '../cite/formats.ts';
import { Layout } from './layout.tsx';
import { PaperList, ReadLinks, SaveButton, byline } from './paper-list.tsx';
import { RichText } from './rich-text.tsx';
import { Swatch } from './topic-cards.tsx';
import { embedSnippet } from './embed-snippet.ts';

/** "Cite": the BibTeX to copy, and the paper in each citation format to download. */
function Cite({ paper }: { paper: PaperView }) {
  const base = `/api/papers/${encodeURIComponent(paper.id)}`;
  return (
    <details class="cite">
      <summary>Cite</summary>
      <pre>
        <code>{formatCitations([paper], 'bibtex')}</code>
      </pre>
      <p>
        Download:{' '}
        {Object.entries(CITATION_FORMATS).map(([format, f], i) => (
          <>
            {i > 0 && ' · '}
            <a href={`${base}?format=${format}&download`} download>
              {f.label}
            </a>
          </>
        ))}
      </p>
    </details>
  );
}

export function PaperPage({ paper, similar, topic, origin }: { paper: PaperView; similar: PaperHit[]; topic: { id: number; label: string; colour: string } | null; origin: string }) {
  const embed = embedSnippet(origin, paper.id);
  return (
    <Layout title={paper.title}>
      <article class="paper" data-id={paper.id}>
        <h1>
          <RichText text={paper.title} />
        </h1>
        <p class="meta">
          <span>{byline(paper.authors, paper.year, paper.date)}</span>
          {paper.categories.length > 0 && <span>{paper.categories.join(' ')}</span>}
          <ReadLinks paper={paper} />
        </p>
        <div class="actions">
          <Cite paper={paper} />
          <SaveButton id={paper.id} />
        </div>
        {topic && (
          <p>
            <a class="topic-badge" href={`/topics/${topic.id}`}>
              <Swatch colour={topic.colour} />
              {topic.label}
            </a>
          </p>
        )}
        <p class="abstract">
          <RichText text={paper.abstract} links />
        </p>
      </article>
      <section id="similar">
        <h2>Similar papers</h2>
        <PaperList hits={similar} terms={new Set()} />
      </section>
      <details class="embed">
        <summary>Show related papers on your site</summary>
        <pre>
          <code>{embed}</code>
        </pre>
      </details>
    </Layout>
  );
}
