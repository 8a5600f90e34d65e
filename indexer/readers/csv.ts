import { parse } from 'csv-parse/sync';
import type { RawRecord, RawRecords } from './json.ts';
import type { ReadIssue } from './types.ts';

/** Lower-cased, trimmed header names, so "Title" and " title" both match the field. */
const headerNames = (header: string[]) => header.map((h) => h.trim().toLowerCase());

/** CSV with a header row; a malformed row becomes an issue and the others are kept. */
export function parseCsv(text: string, file: string): RawRecords {
  const issues: ReadIssue[] = [];
  const records = parse<RawRecord, Record<string, string>>(
    // csv-parse's line counter is off by one on CRLF input.
    text.replace(/\r\n?/g, '\n'),
    {
      columns: headerNames,
      bom: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        const line = typeof err?.lines === 'number' ? err.lines : null;
        issues.push({ file, line, record: null, reason: err?.message ?? 'malformed CSV row' });
      },
      // `lines` is where the record ends; quoted fields may span several lines before it.
      on_record: (record, { lines }) => ({
        value: Object.fromEntries(Object.entries(record).filter(([, v]) => v !== '')),
        line: lines - Object.values(record).join('').split('\n').length + 1,
      }),
    },
  );
  return { records, issues };
}

/** The column names of a CSV head, for format detection. */
export function csvColumns(head: string): string[] {
  try {
    const [header] = parse(head, { to_line: 1, bom: true, relax_quotes: true });
    return header ? headerNames(header) : [];
  } catch {
    return [];
  }
}
