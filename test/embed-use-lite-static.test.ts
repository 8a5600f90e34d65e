import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmbedder, documentText, modelId } from '../src/embed/create-embedder.ts';
import { distill } from '../src/embed/distill.ts';
import { decodeStaticTable, encodeStaticTable, sha256 } from '../src/embed/static-file.ts';
import { loadStaticModel, STATIC_MODEL_FILES, type StaticMeta } from '../src/embed/use-lite-static.ts';
import { USE_LITE_VOCAB_FILE } from '../src/embed/use-lite.ts';
import { runIndexer } from '../indexer/pipeline.ts';
import { readInputs } from '../indexer/readers/index.ts';
import { REPO_ROOT, loadConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';
import { tempDir } from './helpers/temp-dir.ts';

const options = { modelsDir: path.join(REPO_ROOT, 'models'), allowRemote: false };
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('use-lite-static: the committed model', () => {
  it('loads, matches its sidecar and the installed tokenizer, and fits the size budget', async () => {
    const { table, meta } = loadStaticModel();
    const bytes = await fs.readFile(STATIC_MODEL_FILES.table);
    expect(bytes.length).toBeLessThanOrEqual(20 * 2 ** 20);
    expect(meta).toMatchObject({ model: 'use-lite-static', vocab_size: 8000, pieces_distilled: 7994, table: { sha256: sha256(bytes), bytes: bytes.length } });
    expect(meta.teacher.vocab_sha256).toBe(sha256(await fs.readFile(USE_LITE_VOCAB_FILE)));
    expect(meta.command).toMatch(/^npm run distill -- --dimension \d+ --weighting \w+/);
    expect([table.rows, table.dimension]).toEqual([8000, meta.dimension]);
    const id = `use-lite-static@${meta.table.sha256.slice(0, 8)}`;
    expect([modelId('use-lite-static'), (await createEmbedder('use-lite-static', options)).id]).toEqual([id, id]);
  });

  it('gives unit, deterministic vectors: the same for a document and a query, and again from a new instance', async () => {
    const { papers } = await readInputs([path.join(REPO_ROOT, 'data', 'hf-daily-papers.txt')]);
    const texts = papers.slice(0, 12).map((p) => documentText(p));
    const [first, second] = await Promise.all([createEmbedder('use-lite-static', options), createEmbedder('use-lite-static', options)]);
    const a = await first.embedDocuments(texts);
    const b = await second.embedDocuments(texts);
    for (const v of a) expect(Math.abs(Math.hypot(...v) - 1)).toBeLessThan(1e-5);
    expect(a.map((v) => Array.from(v))).toEqual(b.map((v) => Array.from(v)));
    expect(Array.from(await first.embedQuery(texts[3]))).toEqual(Array.from(a[3]));
    expect(a[0]).toHaveLength(first.dimension);
  });

  it('scores paraphrases above unrelated texts', async () => {
    const embedder = await createEmbedder('use-lite-static', options);
    const pairs = [
      ['Protein folding in yeast cells', 'How proteins fold inside yeast', 'Galaxy formation in the early universe'],
      ['Neural networks for image classification', 'Deep convolutional models that classify pictures', 'Monetary policy and inflation expectations'],
      ['Dark matter halos around spiral galaxies', 'The dark matter halo of a spiral galaxy', 'Graph neural networks for molecule property prediction'],
    ];
    for (const [text, paraphrase, unrelated] of pairs) {
      const [t, p, u] = await embedder.embedDocuments([text, paraphrase, unrelated]);
      expect(dot(t, p)).toBeGreaterThan(dot(t, u) + 0.2);
    }
  });

  it('refuses a damaged table and a spec naming another distillation, saying how to rebuild', async () => {
    const dir = await tempDir();
    const files = { table: path.join(dir, 'm.bin'), meta: path.join(dir, 'm.json') };
    const bytes = await fs.readFile(STATIC_MODEL_FILES.table);
    await fs.copyFile(STATIC_MODEL_FILES.meta, files.meta);
    await fs.writeFile(files.table, bytes.subarray(0, bytes.length - 1));
    expect(() => loadStaticModel(files)).toThrow(/does not match its description.*npm run distill/);
    expect(() => decodeStaticTable(bytes.subarray(0, bytes.length - 1), files.table)).toThrow(/bytes, expected/);
    expect(() => decodeStaticTable(Buffer.from('version https://git-lfs.github.com/spec/v1'), files.table)).toThrow(/wrong magic bytes/);
    await expect(createEmbedder('use-lite-static@00000000', options)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND', message: expect.stringMatching(/another distillation/) });
  });
});

describe('npm run distill', () => {
  it('is deterministic: a tiny run (the first 300 pieces, 16-d) gives the same bytes twice, and the table it describes', async () => {
    const tiny = { dimension: 16, weighting: 'unigram' as const, a: 1e-3, pieces: 300, command: 'tiny' };
    const [one, two] = [await distill(tiny), await distill(tiny)];
    const bytes = encodeStaticTable(one.table);
    expect(sha256(bytes)).toBe(sha256(encodeStaticTable(two.table)));
    expect(one.meta).toEqual(two.meta);
    expect(one.meta).toMatchObject({ vocab_size: 8000, dimension: 16, pieces_distilled: 294, pca: { from: 512, to: 16 }, weighting: { method: 'sif', probabilities: 'unigram', a: 1e-3 } });
    const table = decodeStaticTable(bytes, 'tiny');
    // Reserved ids and the pieces past the tiny run have no vector; distilled pieces have one.
    expect([table.scales[0], table.scales[5], table.scales[6] > 0, table.scales[299] > 0, table.scales[300]]).toEqual([0, 0, true, true, 0]);
  });

  it('damps frequent pieces: "▁the" weighs less than "▁protein" in the committed table', async () => {
    const { table } = loadStaticModel();
    const vocabulary: [string, number][] = JSON.parse(await fs.readFile(USE_LITE_VOCAB_FILE, 'utf8'));
    const norm = (piece: string) => {
      const id = vocabulary.findIndex(([p]) => p === piece);
      let s = 0;
      for (let j = 0; j < table.dimension; j++) s += (table.values[id * table.dimension + j] * table.scales[id]) ** 2;
      return Math.sqrt(s);
    };
    expect(norm('▁the')).toBeLessThan(norm('▁protein') / 5);
  });
});

describe('use-lite-static in the indexer and the service', () => {
  it('indexes and serves the seed papers, and the service refuses the index under another model', async () => {
    const indexDir = await tempDir();
    const config = { ...loadConfig({}), indexDir, port: 0 };
    const summary = await runIndexer({ inputs: [path.join(REPO_ROOT, 'data', 'hf-daily-papers.txt')], indexDir, model: 'use-lite-static', ...options, prune: false, workers: 1 });
    expect(summary.embedded).toBe(41);
    const server = await startServer({ ...config, model: 'use-lite-static' });
    try {
      const stats: any = await (await fetch(`${server.url}/api/stats`)).json();
      expect(stats).toMatchObject({ model: modelId('use-lite-static'), dimension: (JSON.parse(await fs.readFile(STATIC_MODEL_FILES.meta, 'utf8')) as StaticMeta).dimension, papers: 41 });
      const res: any = await (await fetch(`${server.url}/api/search?q=3D%20point%20cloud%20understanding&mode=semantic&k=3`)).json();
      expect(res.results).toHaveLength(3);
      expect(res.results[0].title).toMatch(/3D|point|ULIP/i);
    } finally {
      await server.close();
    }
    await expect(startServer({ ...config, model: 'use-lite' })).rejects.toMatchObject({
      code: 'INDEX_MODEL_MISMATCH',
      message: expect.stringMatching(/built with model "use-lite-static@[0-9a-f]{8}".*configured model is "use-lite@windows"/),
    });
  });
});
