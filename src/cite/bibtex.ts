import type { Citable } from './citable.ts';
import { isGroupName } from './citable.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Removes braces that have no partner: BibTeX cannot read a value whose braces do not balance. */
function balanceBraces(text: string): string {
  const unmatched = new Set<number>();
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') open.push(i);
    else if (text[i] === '}' && open.pop() === undefined) unmatched.add(i);
  }
  for (const i of open) unmatched.add(i);
  return [...text].filter((_, i) => !unmatched.has(i)).join('');
}

/**
 * A field value. Titles and abstracts from arXiv are already TeX ($…$ math,
 * \commands), so TeX passes through; the characters that would break LaTeX as
 * plain text (& % # and _ outside math) are escaped unless they already are.
 */
export function bibtexValue(text: string): string {
  const escaped = text
    .split(/(\$[^$]*\$)/)
    .map((part, i) => (i % 2 ? part : part.replace(/(?<!\\)([&%#_])/g, '\\$1')))
    .join('');
  return balanceBraces(escaped);
}

/** A key a person can type: first author's family name, year, first title word, ASCII only. */
function baseKey({ paper, dateParts }: Citable): string {
  const ascii = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '');
  const family = paper.authors[0]?.trim().split(/\s+/).pop() ?? '';
  const word = paper.title.replace(/\$[^$]*\$|\\[A-Za-z]+/g, ' ').split(/\s+/).find((w) => ascii(w).length > 3) ?? '';
  return (ascii(family) + (dateParts[0] ?? '') + ascii(word)).toLowerCase() || 'paper';
}

function entry(c: Citable, key: string): string {
  const { paper, dateParts, arxivId, url } = c;
  const fields: [string, string][] = [
    ['title', bibtexValue(paper.title)],
    ['author', paper.authors.map((a) => (isGroupName(a) ? `{${bibtexValue(a)}}` : bibtexValue(a))).join(' and ')],
  ];
  if (dateParts[0]) fields.push(['year', String(dateParts[0])]);
  if (dateParts[1]) fields.push(['month', MONTHS[dateParts[1] - 1]]);
  // The fields arXiv's own BibTeX uses, which biblatex and natbib styles understand.
  if (arxivId) fields.push(['eprint', arxivId], ['archivePrefix', 'arXiv']);
  if (arxivId && paper.categories[0]) fields.push(['primaryClass', paper.categories[0]]);
  if (url) fields.push(['url', url]);
  if (paper.abstract) fields.push(['abstract', bibtexValue(paper.abstract)]);
  const body = fields.filter(([, v]) => v).map(([k, v]) => (k === 'month' ? `  ${k} = ${v}` : `  ${k} = {${v}}`));
  return `@misc{${key},\n${body.join(',\n')}\n}\n`;
}

/** BibTeX entries, one per paper; keys are unique within the list (a second "smith2020deep" becomes "smith2020deepb"). */
export function toBibtex(papers: Citable[]): string {
  const used = new Map<string, number>();
  return papers
    .map((c) => {
      const base = baseKey(c);
      const n = used.get(base) ?? 0;
      used.set(base, n + 1);
      return entry(c, n ? base + String.fromCharCode(97 + (n % 26)) + (n >= 26 ? Math.floor(n / 26) : '') : base);
    })
    .join('\n');
}
