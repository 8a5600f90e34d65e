import type { Paper } from '../../src/types.ts';
import { normalizeText } from '../../src/text/normalize.ts';
import { toPaper } from './records.ts';
import type { ReadIssue, Reader } from './types.ts';

/**
 * The Hugging Face Daily Papers page as copied from a browser: a little page
 * chrome, then per paper a title line, the abstract, "  • N authors", "·" and a date.
 * The page has no ids, no author names and no links, so papers get derived ids.
 */
const AUTHORS_LINE = /^\s*•\s*\d+\s+authors?\s*$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// "May 14, 2023"; "Dec 16" for the current year; either may be followed by an upvote count: "Dec 9, 2022 1".
const DATE_LINE = new RegExp(`^(${MONTHS.join('|')}) (\\d{1,2})(?:, (\\d{4}))?(?: \\d+)?$`);
// Chrome above the first paper; its date line is the page's date, not a paper's.
const HEADER_LINE = /^(new|Get trending papers.*|Subscribe|Daily Papers|by\s*AK\b.*)$/i;

interface Paragraph {
  text: string;
  line: number;
}

const name = 'hf-daily-page';

export const hfDailyPage: Reader<typeof name> = {
  name,
  detect: (head) => /^Daily Papers\s*$/m.test(head) || head.split('\n').some((l) => AUTHORS_LINE.test(l)),
  read(text, file) {
    const lines = text.split('\n').map((l) => l.trim());
    const papers: Paper[] = [];
    const issues: ReadIssue[] = [];
    let start = skipHeader(lines);
    for (let i = start; i < lines.length; i++) {
      if (!AUTHORS_LINE.test(lines[i]!)) continue;
      const [title, ...abstract] = paragraphs(lines, start, i);
      // After "·" the next line is the date even when it cannot be parsed; without "·" only a real date is.
      const separated = lines[i + 1] === '·';
      const dateLine = separated ? i + 2 : i + 1;
      const date = parseDate(lines[dateLine] ?? '');
      if (title) {
        papers.push(toPaper({ title: title.text, abstract: abstract.map((p) => p.text).join(' '), date }, name));
      } else {
        issues.push({ file, line: i + 1, record: null, reason: 'entry has no title before its "• N authors" line' });
      }
      start = (separated || date ? dateLine : i) + 1;
    }
    // A dump cut off mid-entry leaves text without an authors line.
    const [rest] = paragraphs(lines, start, lines.length);
    if (rest) {
      issues.push({ file, line: rest.line, record: normalizeText(rest.text), reason: 'incomplete entry: no "• N authors" line follows' });
    }
    return { papers, issues, read: papers.length + issues.length };
  },
};

function skipHeader(lines: string[]): number {
  let i = 0;
  while (i < lines.length && (!lines[i] || HEADER_LINE.test(lines[i]!) || DATE_LINE.test(lines[i]!))) i++;
  return i;
}

/** Blank-line separated paragraphs of lines[from, to), with their 1-based first line. */
function paragraphs(lines: string[], from: number, to: number): Paragraph[] {
  const out: Paragraph[] = [];
  let current: Paragraph | null = null;
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (!line) current = null;
    else if (current) current.text += `\n${line}`;
    else out.push((current = { text: line, line: i + 1 }));
  }
  return out;
}

/** Dates without a year become ISO 8601 reduced dates ("--05-16"): the page does not say which year. */
function parseDate(line: string): string | null {
  const match = DATE_LINE.exec(line);
  if (!match) return null;
  const [, month, day, year] = match;
  const monthDay = `${String(MONTHS.indexOf(month!) + 1).padStart(2, '0')}-${day!.padStart(2, '0')}`;
  return `${year ?? '-'}-${monthDay}`;
}
