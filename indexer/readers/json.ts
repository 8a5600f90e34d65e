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

/** A JSON array of records; a syntax error anywhere loses the whole file, reported as one issue. */
export function parseJsonArray(text: string, file: string): RawRecords {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const position = /at position (\d+)/.exec(message);
    const line = position ? lineAt(text, Number(position[1])) : null;
    return { records: [], issues: [{ file, line, record: null, reason: `invalid JSON: ${message}` }] };
  }
  if (!Array.isArray(value)) {
    return { records: [], issues: [{ file, line: 1, record: null, reason: 'expected a JSON array of records' }] };
  }
  const lines = elementStartLines(text);
  return { records: value.map((v, i) => ({ value: v, line: lines[i]! })), issues: [] };
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

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

/**
 * Line on which each element of a top-level JSON array starts. JSON.parse keeps
 * no positions, so this walks the (already validated) text, tracking strings and nesting.
 */
function elementStartLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (c === ']' || c === '}') {
      depth--;
      continue;
    }
    if (depth === 1 && expectElement) {
      lines.push(line);
      expectElement = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') expectElement = ++depth === 1;
    else if (c === ',' && depth === 1) expectElement = true;
  }
  return lines;
}
