import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/config.ts';
import { currentBuildDir } from '../src/store/build-dir.ts';
import { loadIndex } from '../src/store/load-index.ts';
import { readManifest } from '../src/store/manifest.ts';
import { copyIndex, seedIndex } from './helpers/fixture-index.ts';
import { startTestServer } from './helpers/server.ts';
import { scriptCommand } from './helpers/compiled.ts';

// Read as the file loads, not in a beforeAll: the seed index may still be building, and no hook time-out applies here.
const files: Record<string, { bytes: number }> = (await readManifest((await currentBuildDir(await seedIndex()))!)).files;

/** A private copy of the seed index with one of its build's files damaged by `damage`. */
async function damaged(rel: string, damage: (file: string, bytes: number) => Promise<void>): Promise<string> {
  const indexDir = await copyIndex(await seedIndex());
  await damage(path.join((await currentBuildDir(indexDir))!, rel), files[rel].bytes);
  return indexDir;
}

const truncate = (file: string, bytes: number) => fs.truncate(file, Math.floor(bytes / 2));
/** Same size, different bytes: what a bad disk or a stray write leaves. */
async function garble(file: string, bytes: number): Promise<void> {
  const handle = await fs.open(file, 'r+');
  try {
    const at = Math.floor(bytes / 2);
    const one = Buffer.alloc(1);
    await handle.read(one, 0, 1, at);
    await handle.write(Buffer.from([one[0] ^ 0xff]), 0, 1, at);
  } finally {
    await handle.close();
  }
}

describe('verified builds', () => {
  it('the manifest records every build file with its size and checksum', () => {
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['papers.bin', 'papers.offsets', 'papers-ids.col', 'ann.hnsw', 'ann-labels.json', 'keyword.bin', 'keyword.json', 'vectors.f32', 'topics.json']),
    );
    expect(Object.keys(files).some((f) => f.startsWith('papers.lance/'))).toBe(true);
    expect(Object.keys(files)).not.toContain('manifest.json');
  });

  it('every truncated or garbled build file: loading fails with INDEX_CORRUPT naming it', async () => {
    for (const rel of Object.keys(files).filter((f) => files[f].bytes > 0)) {
      for (const [how, damage] of [['truncated', truncate], ['garbled', garble]] as const) {
        const indexDir = await damaged(rel, damage);
        const error = await loadIndex(indexDir).then(
          () => null,
          (err) => err,
        );
        expect(error, `${how} ${rel}`).toMatchObject({ code: 'INDEX_CORRUPT', details: { file: rel } });
        expect(error.message).toContain(rel);
        expect(error.message).toMatch(how === 'truncated' ? /truncated or overwritten/ : /does not match its checksum/);
      }
    }
  });

  it('a garbled manifest is refused by name too', async () => {
    const indexDir = await damaged('papers.bin', async () => {});
    await fs.writeFile(path.join((await currentBuildDir(indexDir))!, 'manifest.json'), '{"formatVersion": 8, "mod');
    await expect(loadIndex(indexDir)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringContaining('manifest.json') });
  });

  it('the server process refuses to start on a damaged build: a clear message, no stack, exit 1', async () => {
    const indexDir = await damaged('papers.bin', truncate);
    const [node, script] = scriptCommand('src/server.ts');
    const child = spawn(node, script, {
      cwd: REPO_ROOT,
      env: { ...process.env, INDEX_DIR: indexDir, PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    const logged = JSON.parse(output.trim().split('\n').at(-1)!);
    expect(logged).toMatchObject({ code: 'INDEX_CORRUPT', msg: expect.stringMatching(/papers\.bin is \d+ bytes where the manifest records \d+/) });
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('/health answers 503 once the serving build cannot answer', async () => {
    const indexDir = await copyIndex(await seedIndex());
    const server = await startTestServer(indexDir, { INDEX_POLL_MS: '0' });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    // Damaged underneath the running server (the files stay open, so only their content can change).
    await fs.truncate(path.join((await currentBuildDir(indexDir))!, 'papers.bin'), 0);
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable', error: { code: 'INDEX_CORRUPT' } });
  });
});
