import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIndexer, type IndexOptions } from '../indexer/pipeline.ts';
import { REPO_ROOT, loadConfig } from '../src/config.ts';
import { currentBuildDir, inspectIndexDir, publishBuild } from '../src/store/build-dir.ts';
import { loadIndex } from '../src/store/load-index.ts';
import { allPapers } from '../src/store/paper-store.ts';
import { lockIndexDir } from '../src/store/writer-lock.ts';
import { writeLease } from '../src/store/leases.ts';
import { startServer } from '../src/server.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { scriptCommand } from './helpers/compiled.ts';

/** The fastest model to build with (no neural network): these tests need builds, not good vectors. */
const MODEL = 'lsa';
let dir: string;
/** Two disjoint sets of papers, one per writer. */
let partA: string;
let partB: string;

function paper(i: number) {
  return JSON.stringify({ id: `p${i}`, title: `Paper ${i} on topic ${i % 3}`, abstract: `Words about subject ${i % 3} and method ${i % 5}, study number ${i}.` });
}

function options(indexDir: string, inputs: string[], extra: Partial<IndexOptions> = {}): IndexOptions {
  return { inputs, indexDir, model: MODEL, modelsDir: path.join(REPO_ROOT, 'models'), allowRemote: false, prune: false, workers: 1, steps: { topics: 2 }, ...extra };
}

interface Exit {
  code: number | null;
  stderr: string;
}

interface Running {
  /** What it has printed so far. */
  output(): string;
  exited: Promise<Exit>;
}

/** Starts a repository script as its own process, as an operator would. */
function start(script: string, args: string[], env: Record<string, string> = {}): Running {
  const [node, command] = scriptCommand(script);
  const child = spawn(node, [...command, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The indexer writes to stderr; the server logs (pino) on stdout: both are what the operator reads.
  let stderr = '';
  child.stdout.on('data', (d) => (stderr += d));
  child.stderr.on('data', (d) => (stderr += d));
  return { output: () => stderr, exited: new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr }))) };
}

const run = (script: string, args: string[], env: Record<string, string> = {}) => start(script, args, env).exited;
const indexerArgs = (indexDir: string, args: string[]) => [...args, '--out', indexDir, '--model', MODEL, '--topics', '2', '--workers', '1'];
const indexer = (indexDir: string, args: string[]) => run('indexer/cli.ts', indexerArgs(indexDir, args));

async function listing(indexDir: string): Promise<string[]> {
  const builds = await fs.readdir(path.join(indexDir, 'builds'));
  return Promise.all(builds.sort().map(async (b) => `${b}: ${(await fs.readdir(path.join(indexDir, 'builds', b))).length} files`));
}

beforeAll(async () => {
  dir = await tempDir();
  partA = path.join(dir, 'a.jsonl');
  partB = path.join(dir, 'b.jsonl');
  await fs.writeFile(partA, Array.from({ length: 12 }, (_, i) => paper(i)).join('\n'));
  await fs.writeFile(partB, Array.from({ length: 12 }, (_, i) => paper(100 + i)).join('\n'));
});

describe('one writer at a time', () => {
  it('two indexers at once on one folder: the second waits, and no paper is lost', async () => {
    const indexDir = path.join(await tempDir(), 'index');
    const [a, b] = await Promise.all([indexer(indexDir, [partA, '--wait', '120']), indexer(indexDir, [partB, '--wait', '120'])]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    const ids = allPapers((await loadIndex(indexDir)).papers).map((p) => p.id);
    expect(ids.sort()).toEqual([...Array.from({ length: 12 }, (_, i) => `p${i}`), ...Array.from({ length: 12 }, (_, i) => `p${100 + i}`)].sort());
    expect(await fs.readdir(indexDir)).not.toContain('LOCK');
  });

  it('a second writer fails at once naming the holder, or waits for it with --wait', async () => {
    const indexDir = path.join(await tempDir(), 'index');
    const lock = await lockIndexDir(indexDir);
    const refused = await indexer(indexDir, [partA]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`INDEX_LOCKED.*being written by another indexer: pid ${process.pid} on .*, started \\d{4}-\\d\\d-\\d\\dT`));
    expect(refused.stderr).toMatch(/--wait SECONDS/);
    expect(await fs.readdir(indexDir)).toEqual(['LOCK']);

    const waiting = start('indexer/cli.ts', indexerArgs(indexDir, [partA, '--wait', '120']));
    // The child indexer's start (node, tsx, the modules) takes seconds on a quiet machine and minutes beside other jobs.
    await expect.poll(waiting.output, { timeout: 300_000, interval: 100 }).toMatch(new RegExp(`waiting for the other writer of this index to finish: pid ${process.pid}`));
    expect(await fs.readdir(indexDir)).toEqual(['LOCK']);
    await lock.release();
    const waited = await waiting.exited;
    expect(waited.code, waited.stderr).toBe(0);
    expect((await loadIndex(indexDir)).papers.size).toBe(12);
  });

  it('takes over the lock of a writer that died', async () => {
    const indexDir = path.join(await tempDir(), 'index');
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    await fs.mkdir(indexDir, { recursive: true });
    const stale = { pid: dead.pid, host: (await import('node:os')).hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'cli.ts' };
    await fs.writeFile(path.join(indexDir, 'LOCK'), JSON.stringify(stale));
    const summary = await runIndexer(options(indexDir, [partA]));
    expect(summary.indexed).toBe(12);
    expect(await fs.readdir(indexDir)).not.toContain('LOCK');
  });
});

describe('builds without CURRENT are never overwritten', () => {
  it('the indexer, the server and npm start refuse, saying what is there and how to recover; --recover publishes the newest good build', async () => {
    const indexDir = path.join(await tempDir(), 'index');
    await runIndexer(options(indexDir, [partA]));
    await runIndexer(options(indexDir, [partA, partB]));
    const newest = (await currentBuildDir(indexDir))!;
    await fs.rm(path.join(indexDir, 'CURRENT'));
    const before = await listing(indexDir);

    await expect(runIndexer(options(indexDir, [partB]))).rejects.toMatchObject({
      code: 'INDEX_NO_CURRENT',
      message: expect.stringMatching(/holds 2 complete build\(s\).*no CURRENT file.*Nothing was changed.*npm run index -- --recover/),
    });
    const cli = await indexer(indexDir, [partB]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/INDEX_NO_CURRENT/);
    const start = await run('src/main.ts', [], { INDEX_DIR: indexDir, MODEL, PORT: '0' });
    expect(start.code).toBe(1);
    expect(start.stderr).toMatch(/INDEX_NO_CURRENT.*--recover/);
    await expect(startServer({ ...loadConfig({}), indexDir, model: MODEL, port: 0 })).rejects.toMatchObject({ code: 'INDEX_NO_CURRENT' });
    expect(await listing(indexDir)).toEqual(before);
    expect(await fs.readdir(indexDir)).not.toContain('CURRENT');

    // The newest build is damaged: recovery passes over it to the one before, and deletes nothing.
    await fs.truncate(path.join(newest, 'vectors.f32'), 10);
    const recovered = await indexer(indexDir, ['--recover']);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.stderr).toMatch(new RegExp(`not published ${path.basename(newest)}: `));
    expect((await loadIndex(indexDir)).papers.size).toBe(12);
    expect((await inspectIndexDir(indexDir)).complete).toHaveLength(2);
  });

  it('npm start builds the sample only into a new or empty folder', async () => {
    const folder = await tempDir();
    await fs.writeFile(path.join(folder, 'notes.txt'), 'not an index');
    const start = await run('src/main.ts', [], { INDEX_DIR: folder, MODEL, PORT: '0' });
    expect(start.code).toBe(1);
    expect(start.stderr).toMatch(/holds no index but is not empty \(notes\.txt\).*new or empty folder/);
    expect(await fs.readdir(folder)).toEqual(['notes.txt']);
  });
});

describe('build garbage collection', () => {
  it('keeps KEEP_BUILDS published builds and every build a live server leases; dead leases are ignored', async () => {
    const indexDir = path.join(await tempDir(), 'index');
    await runIndexer(options(indexDir, [partA]));
    const first = (await currentBuildDir(indexDir))!;
    await writeLease(indexDir, [first]);
    // A lease left by a process that has died names the second build.
    await runIndexer(options(indexDir, [partA, partB]));
    const second = (await currentBuildDir(indexDir))!;
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    await fs.writeFile(path.join(indexDir, 'leases', String(dead.pid)), JSON.stringify({ pid: dead.pid, host: (await import('node:os')).hostname(), startedAt: '', builds: [path.basename(second)] }));

    await runIndexer(options(indexDir, [partB], { keepBuilds: 1, prune: true }));
    const third = (await currentBuildDir(indexDir))!;
    expect((await fs.readdir(path.join(indexDir, 'builds'))).sort()).toEqual([path.basename(first), path.basename(third)].sort());
    expect(await fs.readdir(path.join(indexDir, 'leases'))).toEqual([String(process.pid)]);

    // An unfinished build (no manifest) is removed by the next publish.
    const unfinished = path.join(indexDir, 'builds', '0000-unfinished');
    await fs.mkdir(unfinished);
    await publishBuild(indexDir, third, 1);
    expect(await fs.readdir(path.join(indexDir, 'builds'))).not.toContain('0000-unfinished');
  });
});
