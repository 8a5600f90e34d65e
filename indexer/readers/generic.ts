import { z } from 'zod';
import { csvColumns, parseCsv } from './csv.ts';
import { parseJsonArray, parseJsonLines } from './json.ts';
import { convertRecords, isoDate, splitAuthors, type PaperFields } from './records.ts';
import type { Reader } from './types.ts';

/** Lists arrive as JSON arrays or, from CSV and hand-written JSON, as one delimited string. */
const TextList = z.union([z.array(z.string()), z.string()], { error: 'must be a list of strings or a string' });

/** A union rather than a custom check, so that the ingestion API's OpenAPI document can describe it. */
const yearError = { error: 'must be a year such as 2021' };
const Year = z.union([z.number().int(yearError), z.string().regex(/^\s*\d{4}\s*$/, yearError)], yearError);

/** One record of the generic format; the ingestion API validates its bodies with the same schema. */
export const GenericRecord = z.object({
  id: z.union([z.string(), z.number()], { error: 'must be a string or a number' }).nullish(),
  title: z.string(),
  abstract: z.string().nullish(),
  summary: z.string().nullish(),
  text: z.string().nullish(),
  authors: TextList.nullish(),
  categories: TextList.nullish(),
  year: Year.nullish(),
  date: z.string().nullish(),
  url: z.string().nullish(),
});

const name = 'generic';

/** Any JSON array, JSON lines or CSV file whose records have at least a title. */
export const generic: Reader<typeof name> = {
  name,
  detect(head) {
    const start = head.trimStart()[0];
    if (start === '[' || start === '{') return /"title"\s*:/.test(head);
    return csvColumns(head).includes('title');
  },
  read(text, file, maxRecordBytes) {
    const start = text.trimStart()[0];
    const raw = start === '[' ? parseJsonArray(text, file, maxRecordBytes) : start === '{' ? parseJsonLines(text, file) : parseCsv(text, file);
    return convertRecords(raw, file, name, GenericRecord, toFields);
  },
};

export type GenericRecord = z.infer<typeof GenericRecord>;

export function toFields(r: GenericRecord): PaperFields {
  return {
    id: r.id == null ? null : String(r.id),
    title: r.title,
    abstract: r.abstract ?? r.summary ?? r.text,
    authors: typeof r.authors === 'string' ? splitAuthors(r.authors) : r.authors ?? undefined,
    categories: typeof r.categories === 'string' ? r.categories.split(/[\s,]+/) : r.categories ?? undefined,
    year: r.year == null ? null : Number(r.year),
    date: isoDate(r.date),
    url: r.url,
  };
}
