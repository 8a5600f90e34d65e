import { z } from 'zod';
import { normalizeText } from '../../src/text/normalize.ts';
import { firstJsonLine, parseJsonLines } from './json.ts';
import { convertRecords } from './records.ts';
import type { Reader } from './types.ts';

/** A line of a BEIR corpus.jsonl (SciFact, TREC-COVID, ...). Gzip is undone before readers see the text. */
const BeirDoc = z.object({
  _id: z.string(),
  title: z.string().nullish(),
  text: z.string().nullish(),
});

/** Titles made from the text are cut at a word boundary at or below this length. */
const MAX_DERIVED_TITLE = 100;

const name = 'beir';

export const beir: Reader<typeof name> = {
  name,
  detect(head) {
    const first = firstJsonLine(head);
    return first !== null && '_id' in first && 'text' in first;
  },
  read: (text, file) =>
    convertRecords(parseJsonLines(text, file), file, name, BeirDoc, (doc) => ({
      id: doc._id,
      // Some BEIR corpora leave titles empty; the opening sentence still names the document.
      title: doc.title?.trim() ? doc.title : titleFromText(doc.text ?? ''),
      abstract: doc.text,
    })),
};

function titleFromText(text: string): string {
  const clean = normalizeText(text);
  const sentence = /^.+?[.!?](?=\s|$)/.exec(clean)?.[0] ?? clean;
  if (sentence.length <= MAX_DERIVED_TITLE) return sentence;
  const cut = sentence.slice(0, MAX_DERIVED_TITLE);
  const boundary = cut.lastIndexOf(' ');
  return `${boundary > 0 ? cut.slice(0, boundary) : cut}…`;
}
