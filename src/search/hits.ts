import type { PaperHit } from '../types.ts';
import type { SearchIndex } from '../store/load-index.ts';
import { makeSnippet } from './snippet.ts';
import { webUrl } from '../text/web-url.ts';
import { matchOf } from './confidence.ts';

/** Rounds scores so that responses are stable and short. */
const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Results for ranked labels; `scoreOf` gives each its 0–1 match score (confidence.ts), not its ranking score,
 * and `together` whether it holds two of the query's words together (together.ts; always, for paper-to-paper queries).
 */
export function toHits(index: SearchIndex, labels: number[], queryTerms: string[], scoreOf: (label: number) => number, together: (label: number) => boolean = () => true): PaperHit[] {
  return labels.map((label) => {
    const p = index.papers.get(label);
    const score = round(scoreOf(label));
    return { id: p.id, title: p.title, authors: p.authors, year: p.year, date: p.date, url: webUrl(p.url), snippet: makeSnippet(p.abstract, queryTerms), score, match: matchOf(score, together(label)) };
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

/** A sortable key within a year: the full date when known ("2007-04-02" after "2007"). */
function dateKey(index: SearchIndex, label: number): string {
  const p = index.papers.get(label);
  return p.date ?? String(p.year ?? '');
}

/**
 * Papers newest first, ties in the given (relevance) order. Years are resident,
 * so every paper is ordered by year; full dates are read from the paper file
 * only for the years that the page [from, to) shows.
 */
export function newestFirst(index: SearchIndex, labels: number[], from: number, to: number): number[] {
  const year = (label: number) => index.papers.year(label) ?? -Infinity;
  const byYear = [...labels].sort((a, b) => year(b) - year(a));
  const last = Math.min(to, byYear.length) - 1;
  if (from > last) return byYear;
  let lo = from;
  let hi = last;
  while (lo > 0 && year(byYear[lo - 1]) === year(byYear[from])) lo--;
  while (hi < byYear.length - 1 && year(byYear[hi + 1]) === year(byYear[last])) hi++;
  const keys = new Map(byYear.slice(lo, hi + 1).map((l) => [l, dateKey(index, l)]));
  const dated = byYear.slice(lo, hi + 1).sort((a, b) => year(b) - year(a) || keys.get(b)!.localeCompare(keys.get(a)!));
  return [...byYear.slice(0, lo), ...dated, ...byYear.slice(hi + 1)];
}
