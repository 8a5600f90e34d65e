import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIndexer, type IndexOptions } from '../indexer/pipeline.ts';
import { readInputs } from '../indexer/readers/index.ts';
import { loadIndex } from '../src/store/load-index.ts';
import { allPapers } from '../src/store/paper-store.ts';
import { currentBuildDir } from '../src/store/build-dir.ts';
import { FORMAT_VERSION } from '../src/store/manifest.ts';
import { readPapersTable } from '../src/store/papers-table.ts';
import { REPO_ROOT, loadConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';
import { makeTinyBert } from './fixtures/make-tiny-bert.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { scriptCommand } from './helpers/compiled.ts';
import { ARXIV_SAMPLE as ARXIV, SEED_FILE as SEEDS, copyIndex, seedIndex } from './helpers/fixture-index.ts';
let seedJsonl: string;

function options(indexDir: string, inputs: string[], extra: Partial<IndexOptions> = {}): IndexOptions {
  return { inputs, indexDir, model: 'use-lite', modelsDir: path.join(REPO_ROOT, 'models'), allowRemote: false, prune: false, workers: 2, ...extra };
}

/**
 * The distilled static model, for the tests of the indexer's bookkeeping (what is
 * re-embedded, which records are reported, what a kill leaves behind) rather than of a model: it embeds the
 * seed papers in well under a second, where the default model's windows take
 * tens of seconds on two busy cores. The default model is indexed by the global
 * setup and tested in embed-use-lite.test.ts.
 */
const FAST_MODEL = 'use-lite-static';
const fast = (indexDir: string, inputs: string[], extra: Partial<IndexOptions> = {}) => options(indexDir, inputs, { model: FAST_MODEL, ...extra });

beforeAll(async () => {
  // The seed papers as generic JSON lines, so that a test can edit one record.
  const dir = await tempDir();
  const { papers } = await readInputs([SEEDS]);
  seedJsonl = path.join(dir, 'seeds.jsonl');
  await fs.writeFile(seedJsonl, papers.map((p) => JSON.stringify({ id: p.id, title: p.title, abstract: p.abstract, year: p.year })).join('\n'));
});

describe('incremental indexing', () => {
  it('embeds nothing on a re-run, only a changed abstract, and prunes on request', async () => {
    const indexDir = await tempDir();
    const first = await runIndexer(fast(indexDir, [seedJsonl]));
    expect(first).toMatchObject({ read: 41, indexed: 41, embedded: 41, unchanged: 0, skipped: 0 });

    const again = await runIndexer(fast(indexDir, [seedJsonl]));
    expect(again).toMatchObject({ read: 41, indexed: 41, embedded: 0, unchanged: 41, buildDir: null });
    const built = await currentBuildDir(indexDir);

    const lines = (await fs.readFile(seedJsonl, 'utf8')).split('\n');
    const edited = JSON.parse(lines[3]);
    edited.abstract = 'A completely rewritten abstract about protein folding.';
    const changedFile = path.join(path.dirname(seedJsonl), 'changed.jsonl');
    await fs.writeFile(changedFile, [...lines.slice(0, 3), JSON.stringify(edited), ...lines.slice(4)].join('\n'));
    const changed = await runIndexer(fast(indexDir, [changedFile]));
    expect(changed).toMatchObject({ embedded: 1, unchanged: 40, indexed: 41 });
    expect(await currentBuildDir(indexDir)).not.toBe(built);
    const stored = (await readPapersTable((await currentBuildDir(indexDir))!)).find((r) => r.paper.id === edited.id)!;
    expect(stored.paper.abstract).toBe(edited.abstract);

    const subset = path.join(path.dirname(seedJsonl), 'subset.jsonl');
    await fs.writeFile(subset, [...lines.slice(0, 3), JSON.stringify(edited), ...lines.slice(4, 10)].join('\n'));
    const kept = await runIndexer(fast(indexDir, [subset]));
    expect(kept).toMatchObject({ indexed: 41, kept: 31, pruned: 0, embedded: 0 });
    const pruned = await runIndexer(fast(indexDir, [subset], { prune: true }));
    expect(pruned).toMatchObject({ indexed: 10, pruned: 31, embedded: 0 });
    expect(allPapers((await loadIndex(indexDir)).papers).map((p) => p.id)).toEqual(lines.slice(0, 10).map((l) => JSON.parse(l).id));
  });

  it('refuses a build of the format before checksums, and rewrites it without embedding again', async () => {
    const indexDir = await copyIndex(await seedIndex());
    const old = (await currentBuildDir(indexDir))!;
    const { files, ...manifest } = JSON.parse(await fs.readFile(path.join(old, 'manifest.json'), 'utf8'));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['papers.bin', 'ann.hnsw', 'vectors.f32']));
    await fs.writeFile(path.join(old, 'manifest.json'), JSON.stringify({ ...manifest, formatVersion: 7 }));
    await expect(loadIndex(indexDir)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringMatching(/format 8 added file checksums.*re-run the indexer.*reuses its vectors/) });

    const upgraded = await runIndexer(options(indexDir, [SEEDS]));
    expect(upgraded).toMatchObject({ indexed: 41, embedded: 0, unchanged: 41 });
    expect(upgraded.buildDir).not.toBeNull();
    const index = await loadIndex(indexDir);
    expect(index.manifest.formatVersion).toBe(FORMAT_VERSION);
    expect(index.papers.size).toBe(41);
  });

  it('reports bad records with file, line and reason and indexes the rest', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'mixed.jsonl');
    await fs.writeFile(
      file,
      [
        JSON.stringify({ id: 'a', title: 'Graph neural networks for molecules', abstract: 'We study message passing.' }),
        '{"id": "b", "title": ',
        JSON.stringify({ id: 'c', abstract: 'No title here.' }),
        JSON.stringify({ id: 'd', title: 'Diffusion models for audio', abstract: 'We generate speech.' }),
      ].join('\n'),
    );
    const summary = await runIndexer(fast(path.join(dir, 'index'), [file]));
    expect(summary).toMatchObject({ read: 4, indexed: 2, skipped: 2 });
    expect(summary.issues.map((i) => [path.basename(i.file), i.line])).toEqual([
      ['mixed.jsonl', 2],
      ['mixed.jsonl', 3],
    ]);
    for (const issue of summary.issues) expect(issue.reason.length).toBeGreaterThan(5);
  });
});

describe('crash safety', () => {
  /** Runs the indexer CLI as a child and SIGKILLs it when `when` sees the moment. */
  async function killIndexerWhen(args: string[], when: (stderr: string) => Promise<boolean>): Promise<void> {
    const [node, script] = scriptCommand('indexer/cli.ts');
    const child = spawn(node, [...script, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    while (child.exitCode === null && !(await when(stderr))) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    expect(await exited, `the indexer finished before it could be killed:\n${stderr}`).toBeNull();
  }

  it('leaves the previous index complete when killed while embedding or while writing', async () => {
    const indexDir = await tempDir();
    await runIndexer(fast(indexDir, [SEEDS]));
    const good = await currentBuildDir(indexDir);

    await killIndexerWhen([ARXIV, '--out', indexDir, '--model', FAST_MODEL], async (stderr) => /\d+\/2000 papers/.test(stderr));
    expect(await currentBuildDir(indexDir)).toBe(good);

    // A small change, killed as soon as its new build folder appears (mid-write).
    const builds = path.join(indexDir, 'builds');
    const before = (await fs.readdir(builds)).length;
    const small = path.join(path.dirname(seedJsonl), 'one-more.jsonl');
    await fs.writeFile(small, JSON.stringify({ id: 'extra', title: 'An extra paper on sparse attention', abstract: 'Sparse attention patterns.' }));
    await killIndexerWhen([SEEDS, small, '--out', indexDir, '--model', FAST_MODEL], async () => (await fs.readdir(builds)).length > before);
    expect(await currentBuildDir(indexDir)).toBe(good);

    const index = await loadIndex(indexDir);
    expect(index.papers.size).toBe(41);
    expect(index.nearest(index.vector(0), 1)[0].label).toBe(0);

    // The next run succeeds and clears the half-written folders.
    const next = await runIndexer(fast(indexDir, [SEEDS, small]));
    expect(next.indexed).toBe(42);
    expect((await fs.readdir(builds)).length).toBe(2);
  });
});

describe('corpus-learned model (lsa)', () => {
  it('fits at index time, folds new papers in, refits on request, and serves queries', async () => {
    const indexDir = await tempDir();
    const first = await runIndexer(options(indexDir, [seedJsonl], { model: 'lsa' }));
    expect(first).toMatchObject({ embedded: 41, indexed: 41 });
    const fit = await fs.readFile(path.join((await currentBuildDir(indexDir))!, 'lsa-model.json'), 'utf8');

    const extra = path.join(path.dirname(seedJsonl), 'lsa-extra.jsonl');
    await fs.writeFile(extra, JSON.stringify({ id: 'lsa-extra', title: 'Point cloud segmentation with graph networks', abstract: 'We segment 3D point clouds.' }));
    const folded = await runIndexer(options(indexDir, [seedJsonl, extra], { model: 'lsa' }));
    expect(folded).toMatchObject({ embedded: 1, unchanged: 41, indexed: 42 });
    expect(await fs.readFile(path.join((await currentBuildDir(indexDir))!, 'lsa-model.json'), 'utf8')).toBe(fit);

    const refitted = await runIndexer(options(indexDir, [seedJsonl, extra], { model: 'lsa', refit: true }));
    expect(refitted).toMatchObject({ embedded: 42, indexed: 42 });
    expect(await fs.readFile(path.join((await currentBuildDir(indexDir))!, 'lsa-model.json'), 'utf8')).not.toBe(fit);

    const server = await startServer({ ...loadConfig({}), indexDir, model: 'lsa', port: 0 });
    try {
      const res: any = await (await fetch(`${server.url}/api/search?q=point%20cloud%20segmentation&mode=semantic&k=3`)).json();
      expect(res.results[0].id).toBe('lsa-extra');
    } finally {
      await server.close();
    }
  });
});

describe('model checks', () => {
  it('the service refuses an index built by another model', async () => {
    const indexDir = await seedIndex();
    const modelDir = path.join(await tempDir(), 'tiny-bert');
    await makeTinyBert(modelDir);
    await expect(startServer({ ...loadConfig({}), indexDir, model: modelDir, port: 0 })).rejects.toMatchObject({
      code: 'INDEX_MODEL_MISMATCH',
      message: expect.stringMatching(/built with model "use-lite@windows".*configured model is "transformers:tiny-bert"/),
    });
  });

  it('indexes and serves with a transformers.js model end to end', async () => {
    const indexDir = await tempDir();
    const modelDir = path.join(await tempDir(), 'tiny-bert');
    await makeTinyBert(modelDir);
    const summary = await runIndexer(options(indexDir, [seedJsonl], { model: modelDir, workers: 1 }));
    expect(summary.embedded).toBe(41);
    const server = await startServer({ ...loadConfig({}), indexDir, model: modelDir, port: 0 });
    try {
      const stats: any = await (await fetch(`${server.url}/api/stats`)).json();
      expect(stats).toMatchObject({ model: 'transformers:tiny-bert', dimension: 32, papers: 41 });
      const res: any = await (await fetch(`${server.url}/api/search?q=point%20cloud&mode=semantic&k=3`)).json();
      expect(res.results).toHaveLength(3);
    } finally {
      await server.close();
    }
  });
});
