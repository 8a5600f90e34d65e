import { z } from 'zod';
import { firstJsonLine, parseJsonLines, type RawRecords } from './json.ts';
import { convertRecords, isoDate, splitAuthors } from './records.ts';
import type { ReadResult, Reader } from './types.ts';

/** One line of the arXiv metadata snapshot (Kaggle "arxiv-metadata-oai-snapshot.json"). */
const ArxivRecord = z.object({
  id: z.string(),
  title: z.string(),
  abstract: z.string().nullish(),
  authors: z.string().nullish(),
  /** [last, first, suffix, ...affiliations] */
  authors_parsed: z.array(z.array(z.string())).nullish(),
  categories: z.string().nullish(),
  versions: z.array(z.object({ created: z.string() })).nullish(),
  update_date: z.string().nullish(),
});

const name = 'arxiv';

export const arxiv: Reader<typeof name> = {
  name,
  detect(head) {
    const first = firstJsonLine(head);
    return first !== null && 'id' in first && 'abstract' in first && ('authors_parsed' in first || 'versions' in first);
  },
  read: (text, file) => readArxivRecords(parseJsonLines(text, file), file),
};

/** Snapshot-shaped records to papers; the OAI-PMH feed (src/ingest/feeds/arxiv-oai.ts) hands its records here too. */
export function readArxivRecords(raw: RawRecords, file: string): ReadResult {
  return convertRecords(raw, file, name, ArxivRecord, (r) => ({
    id: r.id,
    title: latexToUnicode(r.title),
    abstract: latexToUnicode(r.abstract ?? ''),
    authors: r.authors_parsed
      ? r.authors_parsed.map(authorName).filter((a) => /\p{L}/u.test(a))
      : splitAuthors(latexToUnicode(r.authors ?? '')),
    categories: r.categories?.split(/\s+/),
    // The first version's date is when the paper appeared; update_date moves with every revision.
    date: isoDate(r.versions?.[0]?.created) ?? isoDate(r.update_date),
    url: `https://arxiv.org/abs/${r.id}`,
  }));
}

function authorName([last = '', first = '', suffix = '']: string[]): string {
  // The snapshot's name parser leaves commas on names ("Heath,") and splits hyphenated initials ("C. -P.").
  return [first, last, suffix]
    .map((part) => latexToUnicode(part.replace(/,\s*$/, '')))
    .filter(Boolean)
    .join(' ')
    .replace(/\.\s+-/g, '.-');
}

const COMBINING: Record<string, string> = {
  "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304', '.': '\u0307',
  u: '\u0306', v: '\u030C', H: '\u030B', c: '\u0327', k: '\u0328', r: '\u030A',
};
// \'a, \'{a}, \v{s}, \'{\i}. Letter-named accents need braces so that \vec or \cdot in math stay as they are.
const ACCENT = /\\(?:(['`^"~=.])\s*(?:\{(\\i|\p{L})\}|(\\i|\p{L}))|([uvHckr])\{(\\i|\p{L})\})/gu;

/** LaTeX accents as arXiv writes names ("Bal\'azs") to Unicode; NFC composition happens in normalizeText. */
function latexToUnicode(s: string): string {
  return s
    .replace(ACCENT, (_match, symbol?: string, braced?: string, bare?: string, letterAccent?: string, letterArg?: string) => {
      const base = (braced ?? bare ?? letterArg)!.replace('\\i', 'i');
      return base + COMBINING[(symbol ?? letterAccent)!];
    })
    // {\'a} leaves "{á}"; only braces around a just-accented letter go, so math like \mathbb{R} is kept.
    .replace(/\{(\p{L}\p{M}+)\}/gu, '$1');
}
