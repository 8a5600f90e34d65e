import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIndexer, type IndexOptions } from '../indexer/pipeline.ts';
import { readInputs } from '../indexer/readers/index.ts';
import { REPO_ROOT } from '../src/config.ts';
import { currentBuildDir } from '../src/store/build-dir.ts';
import { loadBuild } from '../src/store/load-index.ts';
import { createLiveIndex } from '../src/store/live-index.ts';
import { DEFAULT_FUSION, DEFAULT_SIMILAR_FUSION } from '../src/search/fuse.ts';
import type { SearchContext } from '../src/search/context.ts';
import { startTestServer } from './helpers/server.ts';
import { startScript, type ChildScript } from './helpers/server-process.ts';
import { createApp } from '../src/api/app.ts';
import { loadEdgeConfig } from '../src/edge-config.ts';
import { logger } from '../src/logger.ts';
import { tempDir } from './helpers/temp-dir.ts';

/** The fastest model to build with (no neural network): these tests need builds, not good vectors. */
const MODEL = 'lsa';
const SEEDS = path.join(REPO_ROOT, 'data', 'hf-daily-papers.txt');
let firstPart: string;
let allSeeds: string;
let newIds: string[];

function options(indexDir: string, inputs: string[]): IndexOptions {
  return { inputs, indexDir, model: MODEL, modelsDir: path.join(REPO_ROOT, 'models'), allowRemote: false, prune: false, workers: 1, steps: { topics: 3 } };
}

/** Descriptors this process holds open on files under `dir` (Linux). */
async function openFilesUnder(dir: string): Promise<string[]> {
  const fds = await fs.readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => fs.readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((t) => t.startsWith(dir + path.sep));
}

beforeAll(async () => {
  const dir = await tempDir();
  const { papers } = await readInputs([SEEDS]);
  const lines = papers.map((p) => JSON.stringify({ id: p.id, title: p.title, abstract: p.abstract, year: p.year }));
  firstPart = path.join(dir, 'first.jsonl');
  allSeeds = path.join(dir, 'all.jsonl');
  await fs.writeFile(firstPart, lines.slice(0, 30).join('\n'));
  await fs.writeFile(allSeeds, lines.join('\n'));
  newIds = papers.slice(30).map((p) => p.id);
});

/** Two builds of one folder, the 30 first seeds then all 41, made once for the tests that swap between them in-process. */
let builds: Promise<[string, string]> | undefined;
function twoBuilds(): Promise<[string, string]> {
  builds ??= (async () => {
    const indexDir = await tempDir();
    await runIndexer(options(indexDir, [firstPart]));
    const first = (await currentBuildDir(indexDir))!;
    await runIndexer(options(indexDir, [allSeeds]));
    return [first, (await currentBuildDir(indexDir))!];
  })();
  return builds;
}

let child: ChildScript | undefined;
afterAll(() => child?.stop('SIGKILL'));

describe('live index swap', () => {
  it('keeps a request on the build it started with and frees the old build after its last request', async () => {
    const [first, second] = await twoBuilds();
    const context = async (dir: string): Promise<SearchContext> => ({
      index: await loadBuild(dir),
      embedQuery: async () => new Float32Array(0),
      fusion: DEFAULT_FUSION,
      similarFusion: DEFAULT_SIMILAR_FUSION,
    });
    const leases: string[][] = [];
    const live = createLiveIndex(first, await context(first), { load: context, onHeldChange: (held) => void leases.push(held) });

    const inFlight = live.acquire();
    const swapped = await live.swapTo(second);
    expect(swapped.id).toBe(path.basename(second));
    expect(live.current().ctx.index.papers.size).toBe(41);
    // The request that started before the swap still reads its own build's files.
    expect(inFlight.ctx.index.papers.size).toBe(30);
    expect(inFlight.ctx.index.papers.get(29).id).toBe(inFlight.ctx.index.papers.id(29));
    expect(await openFilesUnder(first)).not.toEqual([]);
    expect(live.held().sort()).toEqual([first, second].sort());

    inFlight.release();
    expect(await openFilesUnder(first)).toEqual([]);
    expect(() => inFlight.ctx.index.papers.get(0)).toThrow(/EBADF/);
    expect(live.held()).toEqual([second]);
    // While loading, the lease named both builds; now only the new one.
    expect(leases.some((held) => held.includes(first) && held.includes(second))).toBe(true);
    expect(leases.at(-1)).toEqual([second]);
    await live.close();
    expect(await openFilesUnder(second)).toEqual([]);
  });

  it('a request answered 503 at its deadline keeps its build until its work has stopped, across a swap', async () => {
    const [first, second] = await twoBuilds();
    // The query's embedding is held back, so the search is still to read its build when the deadline answers for it.
    let embedStarted!: () => void;
    const embedding = new Promise<void>((resolve) => (embedStarted = resolve));
    let finishEmbedding!: () => void;
    const held = new Promise<void>((resolve) => (finishEmbedding = resolve));
    const context = async (dir: string): Promise<SearchContext> => {
      const index = await loadBuild(dir);
      const embedQuery = async () => {
        embedStarted();
        await held;
        return new Float32Array(index.manifest.dimension);
      };
      return { index, embedQuery, fusion: DEFAULT_FUSION, similarFusion: DEFAULT_SIMILAR_FUSION };
    };
    const live = createLiveIndex(first, await context(first), { load: context });
    const app = createApp({ live, publicUrl: 'http://127.0.0.1' }, logger, { ...loadEdgeConfig({}), deadlineMs: 200, rateLimitPerMinute: 0 });

    const answer = app.request('/api/search?q=language+models&mode=hybrid&k=5');
    await embedding;
    const res = await answer;
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('DEADLINE_EXCEEDED');
    await live.swapTo(second);
    // The request's search resumes after its answer: its build is still open under it.
    expect(await openFilesUnder(first)).not.toEqual([]);
    expect(live.held().sort()).toEqual([first, second].sort());
    finishEmbedding();
    await expect.poll(() => openFilesUnder(first), { timeout: 5_000 }).toEqual([]);
    expect(live.held()).toEqual([second]);
    expect((await app.request('/api/search?q=language+models&mode=keyword&k=5')).status).toBe(200);
    await live.close();
  });

  it('SIGHUP makes the server read CURRENT at once: a publish its watcher cannot see is served', async () => {
    const [first, second] = await twoBuilds();
    const indexDir = await tempDir();
    for (const build of [first, second]) await fs.cp(build, path.join(indexDir, 'builds', path.basename(build)), { recursive: true });
    // CURRENT is a second name of a file elsewhere: rewriting it there changes what CURRENT says without an event
    // in INDEX_DIR, as on a network file system; with polling off, only SIGHUP makes the server look.
    const elsewhere = path.join(await tempDir(), 'current');
    await fs.writeFile(elsewhere, path.basename(first));
    await fs.link(elsewhere, path.join(indexDir, 'CURRENT'));
    // A start-up on a machine shared with many jobs has taken over 80 s (the helper's default wait).
    child = await startScript('src/server.ts', { PORT: '0', HOST: '127.0.0.1', INDEX_DIR: indexDir, MODEL, INDEX_POLL_MS: '0' }, /"url":"(http:\/\/[^"]+)".*Paperscope is serving/, 240_000);
    const url = child.ready[1];
    const health = async () => (await (await fetch(`${url}/health`)).json()) as { build: string; papers: number };
    expect(await health()).toMatchObject({ build: path.basename(first), papers: 30 });

    await fs.writeFile(elsewhere, path.basename(second));
    await new Promise((r) => setTimeout(r, 1000));
    expect(await health()).toMatchObject({ build: path.basename(first), papers: 30 });
    child.child.kill('SIGHUP');
    await expect.poll(async () => (await health()).build, { timeout: 20_000, interval: 100 }).toBe(path.basename(second));
    expect(await health()).toMatchObject({ papers: 41 });
    // The log line is written after the swap that /health already shows, and reaches this process through a pipe.
    await expect.poll(() => child!.output(), { timeout: 5_000 }).toMatch(/serving a newly published build/);
  });

  it('serves a build published while it answers a steady stream: no errors, new papers found, old files released, broken builds refused', async () => {
    const indexDir = await tempDir();
    await runIndexer(options(indexDir, [firstPart]));
    const oldBuild = (await currentBuildDir(indexDir))!;
    const server = await startTestServer(indexDir, { MODEL, INDEX_POLL_MS: '200' });
    const health = async () => (await (await fetch(`${server.url}/health`)).json()) as { build: string; papers: number };
    expect(await health()).toMatchObject({ build: path.basename(oldBuild), papers: 30 });

    let stop = false;
    const statuses: number[] = [];
    const queries = ['language models', 'diffusion', 'point clouds', 'reasoning benchmark', 'video generation'];
    const stream = (async () => {
      for (let i = 0; !stop; i++) {
        const url = i % 3 === 2 ? `${server.url}/api/stats` : `${server.url}/api/search?q=${encodeURIComponent(queries[i % queries.length])}&k=5&offset=${i % 4}`;
        const res = await fetch(url);
        await res.arrayBuffer();
        statuses.push(res.status);
      }
    })();

    await runIndexer(options(indexDir, [allSeeds]));
    const newBuild = (await currentBuildDir(indexDir))!;
    await expect.poll(async () => (await health()).build, { timeout: 20_000, interval: 100 }).toBe(path.basename(newBuild));
    const stats = await (await fetch(`${server.url}/api/stats`)).json();
    expect(stats).toMatchObject({ papers: 41, build: path.basename(newBuild) });
    for (const id of newIds) expect((await fetch(`${server.url}/api/papers/${encodeURIComponent(id)}`)).status).toBe(200);

    // A broken build published next is refused; the server keeps answering from the good one.
    const broken = path.join(indexDir, 'builds', 'broken-build');
    await fs.cp(newBuild, broken, { recursive: true });
    await fs.truncate(path.join(broken, 'vectors.f32'), 100);
    await fs.writeFile(path.join(indexDir, 'CURRENT'), 'broken-build');
    await server.reload();
    stop = true;
    await stream;
    expect(await health()).toMatchObject({ build: path.basename(newBuild), papers: 41 });

    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    await expect.poll(() => openFilesUnder(oldBuild), { timeout: 5_000 }).toEqual([]);
    expect(await openFilesUnder(broken)).toEqual([]);
    const lease = JSON.parse(await fs.readFile(path.join(indexDir, 'leases', String(process.pid)), 'utf8'));
    expect(lease).toMatchObject({ pid: process.pid, builds: [path.basename(newBuild)] });
  });
});
