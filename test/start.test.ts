import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/config.ts';
import { loadIndex } from '../src/store/load-index.ts';
import { tempDir } from './helpers/temp-dir.ts';

const started: ChildProcess[] = [];
afterAll(() => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

/** The pids of a process's children (the background indexer is one). */
const childrenOf = (pid: number) =>
  execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter(Boolean);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const SAMPLE_PAPERS = 2041;

/**
 * What `npm start` runs (dist/src/main.js, built by its prestart step) on INDEX_DIR; resolves once it serves.
 * Compiled, the server, its background indexer and their worker threads start without a TypeScript loader,
 * as in production. The distilled static model and small checkpoints keep the run short; the flow is the default's.
 */
async function startMain(indexDir: string, checkpoint = 40) {
  const main = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'src', 'main.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, INDEX_DIR: indexDir, MODEL: 'use-lite-static', SAMPLE_CHECKPOINT: String(checkpoint), PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(main);
  let out = '';
  main.stdout!.on('data', (d) => (out += d));
  main.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => main.once('exit', (code) => resolve(code)));
  let url: string | undefined;
  while (!url) {
    expect(main.exitCode, out).toBeNull();
    url = /"url":"(http:[^"]+)".*Paperscope is serving/.exec(out)?.[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  const get = async (p: string): Promise<any> => (await fetch(`${url}${p}`)).json();
  return { main, url, get, exited, output: () => out };
}

describe('npm start on a fresh clone', () => {
  it('serves the seed papers first, indexes the sample in checkpoints swapped in live, a restart after a kill resumes from the last one, and a finished run leaves nothing running', async () => {
    await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs'), '--if-stale']);
    const indexDir = path.join(await tempDir(), 'index');
    const first = await startMain(indexDir);

    const health = await first.get('/health');
    expect(health).toMatchObject({ status: 'ok', papers: 41, indexing: { done: expect.any(Number), stage: expect.any(String) } });
    const search = await first.get('/api/search?q=papers%20like%20ULIP%20about%203D%20point%20clouds&k=3');
    expect(search.results.map((r: any) => r.title).join(' ')).toMatch(/ULIP-2|point cloud/i);
    expect(await first.get('/api/stats')).toMatchObject({ papers: 41, indexing: { done: expect.any(Number), stage: expect.any(String) } });
    expect(await fs.readdir(indexDir)).toContain('sample-pending');

    // A checkpoint (the seeds and the first 40 sample papers) is published by the child and swapped in without a restart.
    const [indexer] = childrenOf(first.main.pid!);
    expect(indexer).toBeGreaterThan(0);
    await expect.poll(async () => (await first.get('/health')).papers, { interval: 250, timeout: 400_000 }).toBeGreaterThan(41);

    // Killed outright with its indexer (no handler runs, as when its process group or container is killed): the folder
    // holds a complete, verified build, the last checkpoint published.
    first.main.kill('SIGKILL');
    process.kill(indexer, 'SIGKILL');
    await first.exited;
    await expect.poll(() => alive(indexer), { timeout: 10_000 }).toBe(false);
    const index = await loadIndex(indexDir);
    const checkpoint = index.papers.size;
    index.close();
    expect(checkpoint).toBeGreaterThan(41);
    expect(checkpoint).toBeLessThan(SAMPLE_PAPERS);
    expect(await fs.readdir(indexDir)).toContain('sample-pending');

    // The next start serves the checkpoint at once, and its indexer embeds only the papers still missing.
    const second = await startMain(indexDir);
    expect(second.output()).not.toMatch(/indexing the seed papers/);
    expect((await second.get('/health')).papers).toBe(checkpoint);
    await expect.poll(async () => (await second.get('/health')).indexing?.total ?? null, { interval: 100, timeout: 60_000 }).toBe(SAMPLE_PAPERS - checkpoint);

    // SIGTERM stops the server gracefully (exit 0) and its indexer with it; the mark stays for the next start.
    const [indexer2] = childrenOf(second.main.pid!);
    second.main.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    await expect.poll(() => alive(indexer2), { timeout: 10_000 }).toBe(false);
    expect(await fs.readdir(indexDir)).toContain('sample-pending');

    // The third start runs to the end (one build for the rest): the whole sample is served, the indexer has exited,
    // and neither /health nor the mark says more papers are coming.
    const third = await startMain(indexDir, SAMPLE_PAPERS);
    const [indexer3] = childrenOf(third.main.pid!);
    await expect.poll(async () => (await third.get('/health')).papers, { interval: 250, timeout: 400_000 }).toBe(SAMPLE_PAPERS);
    await expect.poll(() => alive(indexer3), { timeout: 60_000 }).toBe(false);
    expect((await third.get('/health')).indexing).toBeUndefined();
    await expect.poll(async () => (await fs.readdir(indexDir)).includes('sample-pending'), { timeout: 10_000 }).toBe(false);
    // Logged just after the mark is removed, and read through a pipe: it may arrive a moment after the check above.
    await expect.poll(() => third.output(), { timeout: 5_000 }).toMatch(/the whole sample corpus is indexed and served/);
    third.main.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 600_000);
});
