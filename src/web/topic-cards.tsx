import type { TopicSummary } from '../topics/topic-queries.ts';
import { paperPath } from './paper-list.tsx';

/** A topic's colour dot; an SVG fill rather than an inline style, which the page's CSP forbids. */
export function Swatch({ colour }: { colour: string }) {
  return (
    <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true">
      <circle cx="5" cy="5" r="5" fill={colour} />
    </svg>
  );
}

export function TopicCards({ topics }: { topics: TopicSummary[] }) {
  return (
    <ul class="topics">
      {topics.map((t) => (
        <li class="topic">
          <a class="topic-label" href={`/topics/${t.id}`}>
            <Swatch colour={t.colour} />
            {t.label}
          </a>
          <span class="size">{t.size} papers</span>
          <p class="terms">{t.terms.slice(0, 6).join(' · ')}</p>
          <ul class="reps">
            {t.papers.slice(0, 3).map((p) => (
              <li>
                <a href={paperPath(p.id)}>{p.title}</a>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
