import type { TopicSummary } from '../topics/topic-queries.ts';
import { paperPath } from './paper-list.tsx';

/** Topic colours are CSS classes (t0 … t11), shared by the cards, the map legend and the map points. */
export const topicClass = (id: number) => `t${id % 12}`;

export function TopicCards({ topics }: { topics: TopicSummary[] }) {
  return (
    <ul class="topics">
      {topics.map((t) => (
        <li class="topic">
          <a class="topic-label" href={`/topics/${t.id}`}>
            <span class={`swatch ${topicClass(t.id)}`} aria-hidden="true"></span>
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
