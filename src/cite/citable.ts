import type { PaperView } from '../search/get-paper.ts';
import { arxivIdOf } from '../text/arxiv-id.ts';

/** What every citation format needs from a paper, worked out once. */
export interface Citable {
  paper: PaperView;
  /** Year, month and day as far as they are known. */
  dateParts: number[];
  arxivId: string | null;
  /** A web link to the paper (its own http(s) url, else its arXiv page). */
  url: string | null;
}

/** The parts of an ISO date ("2007-04-02", "2007-04", "2007"); reduced dates without a year ("--05-16") fall back to the year. */
function dateParts(date: string | null, year: number | null): number[] {
  const m = date ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date) : null;
  if (m) return [m[1], m[2], m[3]].filter((x) => x !== undefined).map(Number);
  return year === null ? [] : [year];
}

export function citable(paper: PaperView): Citable {
  const arxivId = arxivIdOf(paper);
  const own = paper.url && /^https?:\/\//i.test(paper.url) ? paper.url : null;
  return { paper, dateParts: dateParts(paper.date, paper.year), arxivId, url: own ?? (arxivId ? `https://arxiv.org/abs/${arxivId}` : null) };
}

/** Collaborations and other group authors are cited as one name, not split into given and family names. */
export const isGroupName = (name: string) => /\b(collaboration|consortium|team|group|project|initiative)\b/i.test(name) || / and /.test(name);
