import type { ReadIssue } from './types.ts';

/** A record as parsed, before validation, with where it was found. */
export interface RawRecord {
  value: unknown;
  /** 1-based line where the record starts. */
  line: number;
}

export interface RawRecords {
  records: RawRecord[];
  /** Records that could not even be parsed. */
  issues: ReadIssue[];
}

/** JSON lines: one broken line costs one record, not the file. */
export function parseJsonLines(text: string, file: string): RawRecords {
  const records: RawRecord[] = [];
  const issues: ReadIssue[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    try {
      records.push({ value: JSON.parse(line), line: i + 1 });
    } catch (err) {
      issues.push({ file, line: i + 1, record: null, reason: `invalid JSON: ${(err as Error).message}` });
    }
  });
  return { records, issues };
}

/**
 * A JSON array of records, each parsed on its own: an element larger than
 * `maxRecordBytes` is reported and skipped before anything parses it (one
 * 20 MB record costs its bytes once, not a parse tree), as a JSON lines
 * record is. A syntax error still loses the whole file, reported as one issue
 * with the line where its record starts: past one, where each record starts can no longer be trusted.
 */
export function parseJsonArray(text: string, file: string, maxRecordBytes = Infinity): RawRecords {
  const found = arrayElements(text);
  if ('error' in found) return { records: [], issues: [{ file, line: found.line, record: null, reason: found.error }] };
  const records: RawRecord[] = [];
  const issues: ReadIssue[] = [];
  for (const { start, end, line } of found.elements) {
    const json = text.slice(start, end);
    const bytes = Buffer.byteLength(json);
    if (bytes > maxRecordBytes) {
      issues.push({ file, line, record: null, reason: `record of ${bytes} bytes is larger than the limit of ${maxRecordBytes} (--max-record-bytes)` });
      continue;
    }
    try {
      records.push({ value: JSON.parse(json), line });
    } catch (err) {
      return { records: [], issues: [{ file, line, record: null, reason: `invalid JSON: ${(err as Error).message}` }] };
    }
  }
  return { records, issues };
}

/** The first record of a JSON lines head, for format detection; null if it is not a JSON object. */
export function firstJsonLine(head: string): Record<string, unknown> | null {
  const line = head.split('\n').find((l) => l.trim());
  if (!line?.trimStart().startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Element {
  /** Offsets of the element's text in the file's text, end exclusive. */
  start: number;
  end: number;
  /** 1-based line where it starts. */
  line: number;
}

/**
 * Where each element of a top-level JSON array lies, found by walking the text
 * (tracking strings and nesting) without parsing it. Errors in the array's own
 * structure (not closed, a missing element, text after it) are found here;
 * errors inside an element are left to JSON.parse.
 */
function arrayElements(text: string): { elements: Element[] } | { error: string; line: number } {
  const elements: Element[] = [];
  let line = 1;
  let i = 0;
  const skipSpace = () => {
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') return;
    }
  };
  skipSpace();
  if (text[i] !== '[') return { error: 'expected a JSON array of records', line };
  i++;
  skipSpace();
  if (text[i] === ']') {
    i++;
  } else {
    for (;;) {
      skipSpace();
      const element: Element = { start: i, end: i, line };
      let depth = 0;
      let inString = false;
      // The element ends at the first comma or bracket outside any string or nesting of its own.
      for (; i < text.length; i++) {
        const c = text[i];
        if (c === '\n') line++;
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '[' || c === '{') depth++;
        else if (depth > 0 && (c === ']' || c === '}')) depth--;
        else if (depth === 0 && (c === ',' || c === ']')) break;
        if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') element.end = i + 1;
      }
      if (i >= text.length) return { error: 'invalid JSON: the array is not closed (the file ends inside it)', line: element.line };
      if (element.end === element.start) return { error: `invalid JSON: a record is missing before "${text[i]}"`, line };
      elements.push(element);
      if (text[i++] === ']') break;
    }
  }
  skipSpace();
  if (i < text.length) return { error: 'invalid JSON: unexpected text after the array', line };
  return { elements };
}
