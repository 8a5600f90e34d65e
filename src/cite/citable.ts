import type { PaperView } from '../search/get-paper.ts';
import { arxivIdOf } from '../text/arxiv-id.ts';
import { paperLink } from '../web/paper-link.ts';

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
  return { paper, dateParts: dateParts(paper.date, paper.year), arxivId: arxivIdOf(paper), url: paperLink(paper) };
}

/** Collaborations and other group authors are cited as one name, not split into given and family names. */
export const isGroupName = (name: string) => /\b(collaboration|consortium|team|group|project|initiative)\b/i.test(name) || / and /.test(name);

/** "C. Balázs" → given "C.", family "Balázs"; a single word or a group name stays whole (null). */
export function splitName(name: string): { given: string; family: string } | null {
  const words = name.trim().split(/\s+/);
  if (words.length < 2 || isGroupName(name)) return null;
  return { given: words.slice(0, -1).join(' '), family: words[words.length - 1] };
}
