import type { PaperView } from '../search/get-paper.ts';
import type { PaperHit } from '../types.ts';
import { Layout } from './layout.tsx';
import { PaperList, byline } from './paper-list.tsx';
import { paperLink } from './paper-link.ts';
import { Swatch } from './topic-cards.tsx';
import { embedSnippet } from './embed-snippet.ts';

export function PaperPage({ paper, similar, topic, origin }: { paper: PaperView; similar: PaperHit[]; topic: { id: number; label: string; colour: string } | null; origin: string }) {
  const out = paperLink(paper);
  const embed = embedSnippet(origin, paper.id);
  return (
    <Layout title={paper.title}>
      <article class="paper">
        <h1>{paper.title}</h1>
        <p class="meta">
          <span>{byline(paper.authors, paper.year)}</span>
          {paper.categories.length > 0 && <span>{paper.categories.join(' ')}</span>}
          {out && (
            <a href={out} rel="noopener noreferrer">
              {out.includes('arxiv.org') ? 'Read on arXiv' : 'Read the paper'}
            </a>
          )}
        </p>
        {topic && (
          <p>
            <a class="topic-badge" href={`/topics/${topic.id}`}>
              <Swatch colour={topic.colour} />
              {topic.label}
            </a>
          </p>
        )}
        <p class="abstract">{paper.abstract}</p>
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
