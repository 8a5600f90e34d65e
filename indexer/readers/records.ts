import type { z } from 'zod';
import type { Paper } from '../../src/types.ts';
import { deriveId, normalizeText } from '../../src/text/normalize.ts';
import { isObject, type RawRecords } from './json.ts';
import type { ReadResult } from './types.ts';

/** What a reader extracts from a record; `toPaper` turns it into a normalized Paper. */
export interface PaperFields {
  id?: string | null;
  title: string;
  abstract?: string | null;
  authors?: string[];
  year?: number | null;
  date?: string | null;
  categories?: string[];
  url?: string | null;
}

/** The one place where papers are normalized, so every reader hands out the same shape. */
export function toPaper(fields: PaperFields, source: string): Paper {
  const title = normalizeText(fields.title);
  const date = normalizeText(fields.date ?? '') || null;
  return {
    id: normalizeText(fields.id ?? '') || deriveId(title),
    title,
    abstract: normalizeText(fields.abstract ?? ''),
    authors: cleanList(fields.authors),
    year: fields.year ?? yearOf(date),
    date,
    categories: cleanList(fields.categories),
    url: normalizeText(fields.url ?? '') || null,
    source,
  };
}

/**
 * Validates parsed records against a reader's schema and builds papers; a record
 * that fails, or ends up without a title, becomes an issue and the rest are kept.
 */
export function convertRecords<T>(
  raw: RawRecords,
  file: string,
  source: string,
  schema: z.ZodType<T>,
  toFields: (record: T) => PaperFields,
): ReadResult {
  const papers: Paper[] = [];
  const lines: number[] = [];
  const issues = [...raw.issues];
  for (const { value, line } of raw.records) {
    const reject = (reason: string) => issues.push({ file, line, record: recordLabel(value), reason });
    const parsed = schema.safeParse(value, { reportInput: true });
    if (!parsed.success) {
      reject(parsed.error.issues.map(describeIssue).join('; '));
      continue;
    }
    const paper = toPaper(toFields(parsed.data), source);
    if (!paper.title) {
      reject('empty title');
      continue;
    }
    papers.push(paper);
    lines.push(line);
  }
  return { papers, lines, issues, read: raw.records.length + raw.issues.length };
}

/** "missing title", "title: expected string, got number" rather than zod's generic wording. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.join('.') || 'record';
  if (issue.code !== 'invalid_type') return `${field}: ${issue.message}`;
  return issue.input === undefined ? `missing ${field}` : `${field}: expected ${issue.expected}, got ${kindOf(issue.input)}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** Id or title of a raw record, however broken; the HF API nests both under `paper`. */
function recordLabel(value: unknown): string | null {
  for (const candidate of [value, isObject(value) ? value.paper : undefined]) {
    if (!isObject(candidate)) continue;
    for (const key of ['id', '_id', 'title']) {
      const v = candidate[key];
      if ((typeof v === 'string' && v.trim()) || typeof v === 'number') return normalizeText(String(v));
    }
  }
  return null;
}

function cleanList(items: string[] | undefined): string[] {
  return (items ?? []).map(normalizeText).filter(Boolean);
}

function yearOf(date: string | null): number | null {
  const year = date && /^\d{4}/.exec(date);
  return year ? Number(year[0]) : null;
}

/** YYYY-MM-DD from the date spellings the sources use; null when unrecognised. */
export function isoDate(s: string | null | undefined): string | null {
  if (!s) return null;
  const iso = /^\d{4}-\d{2}-\d{2}/.exec(s);
  if (iso) return iso[0];
  // arXiv snapshots write update_date as M/D/YYYY.
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (us) return `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  // RFC 2822, as in arXiv version history: "Mon, 2 Apr 2007 19:18:42 GMT".
  const time = Date.parse(s);
  return Number.isNaN(time) ? null : new Date(time).toISOString().slice(0, 10);
}

/** "A; B", "A, B and C": semicolons win because "Last, First" lists use commas inside names. */
export function splitAuthors(s: string): string[] {
  return s.includes(';') ? s.split(';') : s.split(/,|\s+and\s+/);
}
