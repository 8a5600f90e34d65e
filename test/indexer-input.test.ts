import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readInputs } from '../indexer/readers/index.ts';
import { generic } from '../indexer/readers/generic.ts';
import { DEFAULT_INPUT_LIMITS } from '../indexer/readers/input-limits.ts';
import { runIndexer } from '../indexer/pipeline.ts';
import { REPO_ROOT } from '../src/config.ts';
import { PAPER_ID_MAX_LENGTH } from '../src/types.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { scriptCommand } from './helpers/compiled.ts';

const record = (id: string, title: string, abstract = `An abstract about ${title.toLowerCase()}.`) => JSON.stringify({ id, title, abstract });

function indexerCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const [node, script] = scriptCommand('indexer/cli.ts');
  const child = spawn(node, [...script, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

describe('indexer input bounds', () => {
  it('a missing input file is a clear error naming it, not a stack', async () => {
    const missing = path.join(await tempDir(), 'no-such-file.jsonl');
    await expect(readInputs([missing])).rejects.toMatchObject({ code: 'INVALID_INPUT', message: `Input file ${missing} does not exist` });
    const out = path.join(await tempDir(), 'index');
    const { code, stderr } = await indexerCli([missing, '--out', out, '--model', 'lsa']);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`error (INVALID_INPUT): Input file ${missing} does not exist`);
  });

  it('skips ids longer than the API takes and oversized records, truncates long abstracts, each reported with file and line', async () => {
    const file = path.join(await tempDir(), 'bounds.jsonl');
    const longAbstract = 'word '.repeat(5000).trim();
    await fs.writeFile(
      file,
      [
        record('ok-1', 'A normal paper on graphs'),
        record('x'.repeat(PAPER_ID_MAX_LENGTH + 1), 'A paper whose id is too long'),
        record('ok-2', 'A paper with a long abstract', longAbstract),
        record('huge', 'A paper of two megabytes', 'y'.repeat(2 * 1024 * 1024)),
        record('x'.repeat(PAPER_ID_MAX_LENGTH), 'A paper whose id is exactly the limit'),
      ].join('\n'),
    );
    const read = await readInputs([file], undefined, [], { ...DEFAULT_INPUT_LIMITS, maxAbstractChars: 1000 });
    expect(read.papers.map((p) => p.id)).toEqual(['ok-1', 'ok-2', 'x'.repeat(PAPER_ID_MAX_LENGTH)]);
    expect(read.issues).toEqual([
      { file, line: 2, record: 'x'.repeat(PAPER_ID_MAX_LENGTH + 1), reason: `id of ${PAPER_ID_MAX_LENGTH + 1} characters is longer than the API's limit of ${PAPER_ID_MAX_LENGTH}; the paper could never be fetched` },
      { file, line: 4, record: null, reason: expect.stringMatching(/^record of \d+ bytes is larger than the limit of 1000000 \(--max-record-bytes\)$/) },
    ]);
    const truncated = read.papers[1].abstract;
    expect(truncated.length).toBeLessThanOrEqual(1000);
    expect(longAbstract.startsWith(truncated)).toBe(true);
    expect(truncated.endsWith('word')).toBe(true);
    expect(read.warnings).toEqual([{ file, line: 3, record: 'ok-2', reason: `abstract of ${longAbstract.length} characters truncated to ${truncated.length} (--max-abstract-chars 1000)` }]);
  });

  it('reports invalid UTF-8 with file and line and indexes the rest', async () => {
    const file = path.join(await tempDir(), 'latin1.jsonl');
    const bad = Buffer.from(record('bad', 'Caf\u00e9 au lait'), 'latin1');
    await fs.writeFile(file, Buffer.concat([Buffer.from(record('good-1', 'Graph networks') + '\n'), bad, Buffer.from('\n' + record('good-2', 'Point clouds'))]));
    const read = await readInputs([file]);
    expect(read.papers.map((p) => p.id)).toEqual(['good-1', 'good-2']);
    expect(read.issues).toEqual([{ file, line: 2, record: null, reason: 'invalid UTF-8: the line is not text in UTF-8 and was skipped' }]);
    expect(read.read).toBe(3);
  });

  it('skips a 20 MB record of a JSON array before parsing it, and reads the records around it', async () => {
    const file = path.join(await tempDir(), 'with-huge.json');
    const huge = record('huge', 'Enormous', 'z '.repeat(10 * 1024 * 1024));
    await fs.writeFile(file, `[\n  ${record('a', 'Sparse attention')},\n  ${huge},\n  ${record('b', 'Graph transformers')}\n]\n`);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const read = await readInputs([file]);
      expect(read.papers.map((p) => p.id)).toEqual(['a', 'b']);
      expect(read.issues).toEqual([{ file, line: 3, record: null, reason: `record of ${Buffer.byteLength(huge)} bytes is larger than the limit of 1000000 (--max-record-bytes)` }]);
      expect(read.read).toBe(3);
      // Nothing as large as the limit ever reached the parser: the huge record was measured, not parsed.
      expect(parse.mock.calls.filter(([text]) => typeof text === 'string' && text.length > DEFAULT_INPUT_LIMITS.maxRecordBytes)).toEqual([]);
    } finally {
      parse.mockRestore();
    }
  });

  it('a JSON array whose structure is broken is one issue naming the line; an error inside a record too', () => {
    const issue = (text: string) => generic.read(text, 'broken.json', 1000).issues;
    expect(issue('[\n  {"title": "One"},\n  {"title": "Two"},\n]')).toEqual([{ file: 'broken.json', line: 4, record: null, reason: 'invalid JSON: a record is missing before "]"' }]);
    expect(issue('[\n  {"title": "One"},\n  {"title": "Two"')).toEqual([{ file: 'broken.json', line: 3, record: null, reason: 'invalid JSON: the array is not closed (the file ends inside it)' }]);
    expect(issue('[{"title": "One"}]\n{"title": "Two"}')).toEqual([{ file: 'broken.json', line: 2, record: null, reason: 'invalid JSON: unexpected text after the array' }]);
    expect(issue('[\n  {"title": "One"},\n  {"title":\n   Two}\n]')).toEqual([{ file: 'broken.json', line: 3, record: null, reason: expect.stringMatching(/^invalid JSON: /) }]);
    // Brackets and commas inside strings and nested values are not the array's.
    const ok = generic.read('[{"title": "a, [b] {c}", "authors": ["x", "y"], "abstract": "q\\"]"}, {"title": "d"}]', 'ok.json', 1000);
    expect(ok.papers.map((p) => [p.title, p.authors, p.abstract])).toEqual([['a, [b] {c}', ['x', 'y'], 'q"]'], ['d', [], '']]);
    expect(ok.issues).toEqual([]);
  });

  it('indexes past a 20 MB record without parsing it: the run reports it and finishes', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'with-huge.jsonl');
    await fs.writeFile(file, [record('a', 'Sparse attention'), record('huge', 'Enormous', 'z '.repeat(10 * 1024 * 1024)), record('b', 'Graph transformers')].join('\n'));
    const summary = await runIndexer({ inputs: [file], indexDir: path.join(dir, 'index'), model: 'lsa', modelsDir: '', allowRemote: false, prune: false, workers: 1, steps: { topics: 1 } });
    expect(summary).toMatchObject({ read: 3, indexed: 2, skipped: 1 });
    expect(summary.issues[0]).toMatchObject({ line: 2, reason: expect.stringMatching(/^record of 209715\d\d bytes is larger than the limit/) });
  });
});
