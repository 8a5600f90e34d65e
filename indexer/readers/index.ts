import { isUtf8 } from 'node:buffer';
import { readFile as readBytes } from 'node:fs/promises';
import nodePath, { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PaperscopeError } from '../../src/errors.ts';
import { REPO_ROOT } from '../../src/config.ts';
import { normalizeTitleKey } from '../../src/text/normalize.ts';
import type { Paper } from '../../src/types.ts';
import { arxiv } from './arxiv.ts';
import { beir } from './beir.ts';
import { generic } from './generic.ts';
import { hfDailyJson } from './hf-daily-json.ts';
import { hfDailyPage } from './hf-daily-page.ts';
import type { ReadIssue, ReadResult } from './types.ts';
import { DEFAULT_INPUT_LIMITS, applyLimits, issueFor, type InputLimits } from './input-limits.ts';

export type { ReadIssue, ReadResult, Reader } from './types.ts';

/** Detection order: specific formats first, the catch-all generic reader last. */
const READERS = [hfDailyPage, hfDailyJson, arxiv, beir, generic] as const;

export type FormatName = (typeof READERS)[number]['name'];

export const FORMATS: FormatName[] = READERS.map((r) => r.name);

/** Detection looks at this much of a file; the first record of every format fits. */
const HEAD_LENGTH = 64 * 1024;

/** The inputs the sample index is built from, as absolute paths so any working directory will do; the first holds the 41 seed papers. */
export const SAMPLE_INPUTS = ['data/hf-daily-papers.txt', 'data/arxiv-metadata-first2000.jsonl'].map((file) => nodePath.join(REPO_ROOT, file));
export const SEED_INPUT = SAMPLE_INPUTS[0];

/** An input file's bytes; a file that is missing or unreadable is a clear error naming it, not a stack. */
async function readInput(path: string): Promise<Buffer> {
  try {
    return await readBytes(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? (err as Error).message})`;
    throw new PaperscopeError('INVALID_INPUT', `Input file ${path} ${why}`, { file: path });
  }
}

/**
 * Text of a file, line by line. Lines that are not valid UTF-8 are reported
 * with their line number and left out (blank, so that later line numbers stay
 * true): silently replacing bytes would index garbled text under a paper's
 * name. In JSON lines, where a line is a record, a line over the record limit
 * is left out before anything parses it: a 20 MB record costs its bytes once.
 */
function decode(bytes: Buffer, file: string, limits: InputLimits): { text: string; issues: ReadIssue[] } {
  const jsonLines = bytes.subarray(0, 1024).toString('utf8').trimStart().startsWith('{');
  const tooLong = (from: number, to: number) => jsonLines && to - from > limits.maxRecordBytes;
  const lineEnds: number[] = [];
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) lineEnds.push(at);
  lineEnds.push(bytes.length);
  const clean = isUtf8(bytes) && lineEnds.every((end, i) => !tooLong(i ? lineEnds[i - 1] + 1 : 0, end));
  if (clean) return { text: bytes.toString('utf8'), issues: [] };
  const issues: ReadIssue[] = [];
  const lines = lineEnds.map((end, i) => {
    const start = i ? lineEnds[i - 1] + 1 : 0;
    const reject = (reason: string) => {
      issues.push({ file, line: i + 1, record: null, reason });
      return '';
    };
    if (tooLong(start, end)) return reject(`record of ${end - start} bytes is larger than the limit of ${limits.maxRecordBytes} (--max-record-bytes)`);
    const line = bytes.subarray(start, end);
    return isUtf8(line) ? line.toString('utf8') : reject('invalid UTF-8: the line is not text in UTF-8 and was skipped');
  });
  return { text: lines.join('\n'), issues };
}

/** Reads one input file (gzipped or not) with the forced or detected format. */
export async function readFile(path: string, format?: FormatName, limits: InputLimits = DEFAULT_INPUT_LIMITS): Promise<ReadResult> {
  let bytes = await readInput(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const decoded = decode(bytes, path, limits);
  const text = decoded.text.replace(/^\uFEFF/, '');
  const reader = format ? READERS.find((r) => r.name === format) : detect(text, path);
  if (!reader) {
    throw new PaperscopeError('UNKNOWN_FORMAT', `Unknown format "${format}" for ${path}; known formats: ${FORMATS.join(', ')}`, {
      file: path,
      format,
    });
  }
  const result = reader.read(text, path, limits.maxRecordBytes);
  return { ...result, issues: [...decoded.issues, ...result.issues], read: result.read + decoded.issues.length };
}

function detect(text: string, path: string) {
  const head = text.slice(0, HEAD_LENGTH);
  const fileName = basename(path);
  const reader = READERS.find((r) => r.detect(head, fileName));
  if (!reader) {
    throw new PaperscopeError('UNKNOWN_FORMAT', `Cannot recognise the format of ${path}; tried ${FORMATS.join(', ')}`, {
      file: path,
      tried: FORMATS,
    });
  }
  return reader;
}

/**
 * Reads several inputs into one list. The same paper often comes from two sources
 * (an HF page and the arXiv snapshot), so later copies with an id or title key
 * already seen are dropped and counted.
 */
export async function readInputs(
  paths: string[],
  format?: FormatName,
  given: Paper[] = [],
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): Promise<{ papers: Paper[]; issues: ReadIssue[]; warnings: ReadIssue[]; read: number; duplicates: number }> {
  const papers: Paper[] = [];
  const issues: ReadIssue[] = [];
  const warnings: ReadIssue[] = [];
  const seenIds = new Set<string>();
  const seenTitles = new Set<string>();
  let read = 0;
  let duplicates = 0;
  // Papers given directly (the ingestion API) pass the same checks, labelled as such.
  const sources = [
    ...paths.map((path) => async () => ({ label: path, ...(await readFile(path, format, limits)) })),
    async () => ({ label: 'submitted papers', papers: given, issues: [] as ReadIssue[], read: given.length, lines: undefined }),
  ];
  for (const readSource of sources) {
    const result = await readSource();
    const path = result.label;
    const fileIssues = [...result.issues];
    read += result.read;
    result.papers.forEach((raw, i) => {
      const line = result.lines?.[i] ?? null;
      const checked = applyLimits(raw, limits);
      if ('skip' in checked) {
        fileIssues.push(issueFor(path, line, raw, checked.skip));
        return;
      }
      const paper = checked.paper;
      if (checked.warning) warnings.push(issueFor(path, line, paper, checked.warning));
      const titleKey = normalizeTitleKey(paper.title);
      if (seenIds.has(paper.id) || seenTitles.has(titleKey)) {
        duplicates++;
        return;
      }
      seenIds.add(paper.id);
      seenTitles.add(titleKey);
      papers.push(paper);
    });
    // In file order, however each was found (reading, parsing, checking).
    issues.push(...fileIssues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }
  return { papers, issues, warnings, read, duplicates };
}
