import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/config.ts';
import { tempDir } from './helpers/temp-dir.ts';

let main: ChildProcess | undefined;
afterAll(() => {
  if (main?.exitCode === null) main.kill('SIGKILL');
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

describe('npm start on a fresh clone', () => {
  it('serves the seed papers first, says the sample is being indexed, and stops its indexer with it', async () => {
    const indexDir = path.join(await tempDir(), 'index');
    main = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, INDEX_DIR: indexDir, PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    main.stdout!.on('data', (d) => (out += d));
    main.stderr!.on('data', (d) => (out += d));
    let url: string | undefined;
    while (!url) {
      expect(main.exitCode, out).toBeNull();
      url = /"url":"(http:[^"]+)".*Paperscope is serving/.exec(out)?.[1];
      await new Promise((r) => setTimeout(r, 100));
    }

    const health: any = await (await fetch(`${url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', papers: 41, indexing: { done: expect.any(Number), stage: expect.any(String) } });
    const search: any = await (await fetch(`${url}/api/search?q=papers%20like%20ULIP%20about%203D%20point%20clouds&k=3`)).json();
    expect(search.results.map((r: any) => r.title).join(' ')).toMatch(/ULIP-2|point cloud/i);
    const stats: any = await (await fetch(`${url}/api/stats`)).json();
    expect(stats).toMatchObject({ papers: 41, indexing: { done: expect.any(Number), stage: expect.any(String) } });
    expect(await fs.readdir(indexDir)).toContain('sample-pending');

    const [indexer] = childrenOf(main.pid!);
    expect(indexer).toBeGreaterThan(0);
    const exited = new Promise((resolve) => main!.once('exit', resolve));
    main.kill('SIGTERM');
    await exited;
    await expect.poll(() => alive(indexer), { timeout: 10_000 }).toBe(false);
    // The seed build stays served, and the mark makes the next start finish the sample.
    expect(await fs.readdir(indexDir)).toContain('sample-pending');
  });
});
