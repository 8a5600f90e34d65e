import { readFile as readBytes } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { PaperscopeError } from '../../src/errors.ts';
import { normalizeTitleKey } from '../../src/text/normalize.ts';
import type { Paper } from '../../src/types.ts';
import { arxiv } from './arxiv.ts';
import { beir } from './beir.ts';
import { generic } from './generic.ts';
import { hfDailyJson } from './hf-daily-json.ts';
import { hfDailyPage } from './hf-daily-page.ts';
import type { ReadIssue, ReadResult } from './types.ts';

export type { ReadIssue, ReadResult, Reader } from './types.ts';

/** Detection order: specific formats first, the catch-all generic reader last. */
const READERS = [hfDailyPage, hfDailyJson, arxiv, beir, generic] as const;

export type FormatName = (typeof READERS)[number]['name'];

export const FORMATS: FormatName[] = READERS.map((r) => r.name);

/** Detection looks at this much of a file; the first record of every format fits. */
const HEAD_LENGTH = 64 * 1024;

/** The inputs the sample index is built from, as absolute paths so any working directory will do. */
export const SAMPLE_INPUTS = ['data/hf-daily-papers.txt', 'data/arxiv-metadata-first2000.jsonl'].map((path) =>
  fileURLToPath(new URL(`../../${path}`, import.meta.url)),
);

/** Reads one input file (gzipped or not) with the forced or detected format. */
export async function readFile(path: string, format?: FormatName): Promise<ReadResult> {
  let bytes = await readBytes(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const reader = format ? READERS.find((r) => r.name === format) : detect(text, path);
  if (!reader) {
    throw new PaperscopeError('UNKNOWN_FORMAT', `Unknown format "${format}" for ${path}; known formats: ${FORMATS.join(', ')}`, {
      file: path,
      format,
    });
  }
  return reader.read(text, path);
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
): Promise<{ papers: Paper[]; issues: ReadIssue[]; read: number; duplicates: number }> {
  const papers: Paper[] = [];
  const issues: ReadIssue[] = [];
  const seenIds = new Set<string>();
  const seenTitles = new Set<string>();
  let read = 0;
  let duplicates = 0;
  const sources = [...paths.map((path) => () => readFile(path, format)), async () => ({ papers: given, issues: [], read: given.length })];
  for (const readSource of sources) {
    const result = await readSource();
    issues.push(...result.issues);
    read += result.read;
    for (const paper of result.papers) {
      const titleKey = normalizeTitleKey(paper.title);
      if (seenIds.has(paper.id) || seenTitles.has(titleKey)) {
        duplicates++;
        continue;
      }
      seenIds.add(paper.id);
      seenTitles.add(titleKey);
      papers.push(paper);
    }
  }
  return { papers, issues, read, duplicates };
}
