import type { PaperHit } from '../types.ts';
import type { SearchIndex } from '../store/load-index.ts';
import { makeSnippet } from './snippet.ts';
import { webUrl } from '../text/web-url.ts';
import { matchOf } from './confidence.ts';

/** Rounds scores so that responses are stable and short. */
const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** Results for ranked labels; `scoreOf` gives each its 0–1 match score (confidence.ts), not its ranking score. */
export function toHits(index: SearchIndex, labels: number[], queryTerms: string[], scoreOf: (label: number) => number): PaperHit[] {
  return labels.map((label) => {
    const p = index.papers.get(label);
    const score = round(scoreOf(label));
    return { id: p.id, title: p.title, authors: p.authors, year: p.year, date: p.date, url: webUrl(p.url), snippet: makeSnippet(p.abstract, queryTerms), score, match: matchOf(score) };
  });
}

/** A label filter for the optional year range; papers without a year fall outside any range. */
export function yearFilter(index: SearchIndex, from?: number, to?: number): ((label: number) => boolean) | undefined {
  if (from === undefined && to === undefined) return undefined;
  return (label) => {
    const y = index.papers.year(label);
    return y !== null && (from === undefined || y >= from) && (to === undefined || y <= to);
  };
}

export function combineFilters(...filters: (((label: number) => boolean) | undefined)[]): ((label: number) => boolean) | undefined {
  const active = filters.filter((f): f is (label: number) => boolean => f !== undefined);
  if (!active.length) return undefined;
  return (label) => active.every((f) => f(label));
}
