import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runIndexer } from '../../indexer/pipeline.ts';
import { readInputs } from '../../indexer/readers/index.ts';
import { REPO_ROOT } from '../../src/config.ts';
import { currentBuildDir } from '../../src/store/build-dir.ts';
import { redisCurrentHint, type CurrentHint } from '../../src/remote/current-hint.ts';
import { moveCurrent, publishBuild, readRemoteCurrent } from '../../src/remote/publish-build.ts';
import { s3ObjectStore } from '../../src/remote/s3-store.ts';
import { SEED_FILE } from '../helpers/fixture-index.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const { s3, redisUrl } = inject('cluster');
const MODEL = 'use-lite:16';
const prefix = `replicas-${randomUUID().slice(0, 8)}`;
const store = s3ObjectStore(s3, prefix);
const queuePrefix = `t-${randomUUID().slice(0, 8)}`;
const QUERIES = ['neural architecture search', '3D point cloud understanding', 'language model reasoning', 'video generation'];

/** Two builds of the seed papers: the first 30, then all 41 (an incremental run over a copy), as a builder would make them. */
let buildA: string;
let buildB: string;
const replicas: ServerProcess[] = [];
let hint: CurrentHint;
let replicaDirs: string[];

async function index(indexDir: string, input: string): Promise<string> {
  await runIndexer({ inputs: [input], indexDir, model: MODEL, modelsDir: path.join(REPO_ROOT, 'models'), allowRemote: false, prune: false, workers: 1, steps: { topics: 3 } });
  return (await currentBuildDir(indexDir))!;
}

/** The two builds, then two replicas started on the first one (their start is part of the test: model load and download). */
async function setUp(): Promise<void> {
  const dir = await tempDir();
  const { papers } = await readInputs([SEED_FILE]);
  const lines = papers.map((p) => JSON.stringify({ id: p.id, title: p.title, abstract: p.abstract, year: p.year }));
  await fs.writeFile(path.join(dir, 'first.jsonl'), lines.slice(0, 30).join('\n'));
  await fs.writeFile(path.join(dir, 'all.jsonl'), lines.join('\n'));
  buildA = await index(path.join(dir, 'a'), path.join(dir, 'first.jsonl'));
  await fs.cp(path.join(dir, 'a'), path.join(dir, 'b'), { recursive: true });
  buildB = await index(path.join(dir, 'b'), path.join(dir, 'all.jsonl'));
  await publishBuild(store, buildA, { announcer: hint });
  replicaDirs = [await tempDir(), await tempDir()];
  // Polling every 60 s: a build picked up sooner than that came through the Redis hint.
  const env = (indexDir: string) => ({
    INDEX_URL: `s3://${s3.bucket}/${prefix}`,
    INDEX_DIR: indexDir,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: s3.region,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    INDEX_POLL_MS: '60000',
    KEEP_BUILDS: '1',
    MODEL,
    QUERY_WORKERS: '1',
  });
  // Recorded as each one is ready, so that afterAll stops whichever started. A replica loads the model and the
  // build after copying it: on the shared 2-core machine under load that has taken more than 80 s.
  await Promise.all(replicaDirs.map(async (d) => replicas.push(await startServerProcess(env(d), 240_000))));
}

beforeAll(() => {
  hint = redisCurrentHint(redisUrl, queuePrefix, store);
});

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await hint?.close();
  store.close();
});

async function health(r: ServerProcess): Promise<{ build: string; papers: number }> {
  return (await fetch(`${r.url}/health`)).json();
}

/** Resolves once every replica serves `buildId`; the time it took. */
async function allServing(buildId: string, timeoutMs = 30_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const builds = await Promise.all(replicas.map(async (r) => (await health(r)).build));
    if (builds.every((b) => b === buildId)) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`replicas not on ${buildId} within ${timeoutMs} ms: ${JSON.stringify(await Promise.all(replicas.map(health)))}`);
}

/** Each replica's answers to the same queries, without the timing. */
async function answers(r: ServerProcess): Promise<unknown[]> {
  return Promise.all(
    QUERIES.map(async (q) => {
      const res = await fetch(`${r.url}/api/search?q=${encodeURIComponent(q)}&k=10`);
      expect(res.status).toBe(200);
      const { took_ms: _took, ...rest } = await res.json();
      return rest;
    }),
  );
}

describe('replicas following CURRENT in object storage', () => {
  it('serve the published build, pick up a new one through the hint, answer identically, and follow a rollback', async () => {
    await setUp();
    const idA = path.basename(buildA);
    const idB = path.basename(buildB);
    expect(await Promise.all(replicas.map(health))).toMatchObject([
      { build: idA, papers: 30 },
      { build: idA, papers: 30 },
    ]);

    const published = await publishBuild(store, buildB, { announcer: hint });
    expect(published).toMatchObject({ buildId: idB, previous: idA, announced: true });
    await allServing(idB, 30_000);
    expect(await Promise.all(replicas.map(health))).toMatchObject([{ papers: 41 }, { papers: 41 }]);
    const [first, second] = await Promise.all(replicas.map(answers));
    expect(first).toEqual(second);
    expect((first![0] as { results: unknown[] }).results.length).toBeGreaterThan(0);

    // A rollback: the older build is still on each replica's disk (kept while it drained) and is served again.
    await moveCurrent(store, idA, { announcer: hint });
    await allServing(idA, 30_000);
    const [backFirst, backSecond] = await Promise.all(replicas.map(answers));
    expect(backFirst).toEqual(backSecond);
    expect(await Promise.all(replicas.map(health))).toMatchObject([{ papers: 30 }, { papers: 30 }]);

    // The same files again under a third id: with KEEP_BUILDS=1 the build that is neither served nor newest (B) goes.
    const idC = `${idB}-again`;
    await publishBuild(store, buildB, { buildId: idC, announcer: hint });
    await allServing(idC, 30_000);
    for (const dir of replicaDirs) {
      const local = await fs.readdir(path.join(dir, 'builds'));
      expect(local).toContain(idC);
      expect(local).not.toContain(idB);
    }
    expect((await readRemoteCurrent(store))?.buildId).toBe(idC);
  }, 480_000);
});
