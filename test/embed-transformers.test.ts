import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../src/embed/embedder.ts';
import { createTransformersEmbedder } from '../src/embed/transformers.ts';
import { PaperscopeError } from '../src/errors.ts';
import { TINY_BERT_HIDDEN_SIZE, makeTinyBert } from './fixtures/make-tiny-bert.ts';

const BGE_QUERY_PREFIX = 'Represent this sentence for searching relevant passages: ';

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((max, x, i) => Math.max(max, Math.abs(x - b[i])), 0);
}

async function expectModelNotFound(promise: Promise<unknown>, folder: string): Promise<PaperscopeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PaperscopeError);
  const error = err as PaperscopeError;
  expect(error.code).toBe('MODEL_NOT_FOUND');
  expect(error.message).toContain(folder);
  expect(error.message).toContain('ALLOW_REMOTE_MODELS=1');
  expect(error.details).toMatchObject({ folder });
  return error;
}

const ABSTRACTS = [
  'we propose a new transformer model for language translation',
  'attention layers learn sentence representations',
  'diffusion models for image generation',
  'a bayesian approach to uncertainty',
  'graph neural networks on molecular data',
  'reinforcement learning agents with sparse reward',
  'contrastive learning of visual features',
  'efficient inference for large language models',
  'protein structure prediction with deep learning',
  'climate forecast using neural networks',
  'zero shot classification via prompting',
  'retrieval augmented question answering',
  'speech recognition with recurrent networks',
  'convergence bounds for gradient descent',
  'dark matter in galaxy clusters',
  'semantic search over documents',
  'object detection and segmentation in video',
  'fine tuning pretrained encoders',
  'x',
  'Kernel methods, sparse features; and (robust) estimation!',
];

/** 80 words, more than the tiny model's 64-token limit. */
const LONG_HEAD = Array.from({ length: 80 }, (_, i) => ABSTRACTS[i % 10].split(' ')[0]).join(' ');

describe('transformers.js embedder on a generated tiny BERT', () => {
  let tmp: string;
  let modelsDir: string;
  let folder: string;
  let embedder: Embedder;
  const opened: Embedder[] = [];

  async function open(spec: string): Promise<Embedder> {
    const e = await createTransformersEmbedder(spec, { allowRemote: false, modelsDir });
    opened.push(e);
    return e;
  }

  async function tinyModel(name: string): Promise<string> {
    const dir = path.join(tmp, name);
    await makeTinyBert(dir);
    return dir;
  }

  async function writePooling(dir: string, cls: boolean): Promise<void> {
    await mkdir(path.join(dir, '1_Pooling'), { recursive: true });
    const config = { word_embedding_dimension: TINY_BERT_HIDDEN_SIZE, pooling_mode_cls_token: cls, pooling_mode_mean_tokens: !cls };
    await writeFile(path.join(dir, '1_Pooling', 'config.json'), JSON.stringify(config));
  }

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'paperscope-tiny-bert-'));
    modelsDir = path.join(tmp, 'models');
    folder = await tinyModel('tiny-bert');
    embedder = await open(folder);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(opened.map((e) => e.dispose?.()));
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('names the model by folder basename and reports the hidden size', () => {
    expect(embedder.id).toBe('transformers:tiny-bert');
    expect(embedder.dimension).toBe(TINY_BERT_HIDDEN_SIZE);
  });

  it('returns unit-length vectors of the model dimension', async () => {
    const vectors = [...(await embedder.embedDocuments(ABSTRACTS)), await embedder.embedQuery('semantic search')];
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(TINY_BERT_HIDDEN_SIZE);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('is deterministic', async () => {
    const [a] = await embedder.embedDocuments(['attention layers learn sentence representations']);
    const [b] = await embedder.embedDocuments(['attention layers learn sentence representations']);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('places texts that share words closer than unrelated texts', async () => {
    const [a, sameWords, mostWords, unrelated] = await embedder.embedDocuments([
      'transformer attention layers for language translation',
      'language translation for transformer attention layers',
      'language translation with transformer attention layers',
      'telescope data on dark matter and galaxy stars',
    ]);
    // Mean pooling over a context-mixed, position-free encoder: the same bag of words
    // gives the same vector, whatever the order.
    expect(cosine(a, sameWords)).toBeGreaterThan(0.999);
    expect(cosine(a, mostWords)).toBeGreaterThan(cosine(a, unrelated) + 0.3);
    expect(cosine(a, unrelated)).toBeLessThan(0.5);
  });

  it('gives the same vectors in a batch (with padding, across batch boundaries) as one at a time', async () => {
    const batched = await embedder.embedDocuments(ABSTRACTS);
    expect(batched).toHaveLength(ABSTRACTS.length);
    for (let i = 0; i < ABSTRACTS.length; i++) {
      const [single] = await embedder.embedDocuments([ABSTRACTS[i]]);
      expect(maxAbsDiff(batched[i], single)).toBeLessThan(1e-5);
    }
    expect(await embedder.embedDocuments([])).toEqual([]);
  });

  it('embeds queries without a prefix for plain models', async () => {
    const q = await embedder.embedQuery('graph neural networks');
    const [d] = await embedder.embedDocuments(['graph neural networks']);
    expect(maxAbsDiff(q, d)).toBeLessThan(1e-6);
  });

  it('truncates at the model max length (64 tokens)', async () => {
    const [a, b, short] = await embedder.embedDocuments([
      `${LONG_HEAD} ${'galaxy '.repeat(50)}`,
      `${LONG_HEAD} ${'protein '.repeat(50)}`,
      `protein galaxy`,
    ]);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    expect(maxAbsDiff(a, short)).toBeGreaterThan(1e-3);
  });

  it('falls back to max_position_embeddings when the tokenizer has no model_max_length', async () => {
    const dir = await tinyModel('tiny-bert-no-max');
    const configFile = path.join(dir, 'tokenizer_config.json');
    const { model_max_length: _dropped, ...config } = JSON.parse(await readFile(configFile, 'utf8'));
    await writeFile(configFile, JSON.stringify(config));
    const unbounded = await open(dir);

    const long = `${LONG_HEAD} ${'galaxy '.repeat(50)}`;
    const [v] = await unbounded.embedDocuments([long]);
    const [expected] = await embedder.embedDocuments([long]);
    expect(maxAbsDiff(v, expected)).toBeLessThan(1e-6);
  });

  it('finds hub ids under modelsDir/<id> without any download', async () => {
    await makeTinyBert(path.join(modelsDir, 'test-org', 'tiny-bert'));
    const hub = await open('test-org/tiny-bert');
    expect(hub.id).toBe('transformers:test-org/tiny-bert');
    const [fromHub] = await hub.embedDocuments([ABSTRACTS[0]]);
    const [fromFolder] = await embedder.embedDocuments([ABSTRACTS[0]]);
    expect(maxAbsDiff(fromHub, fromFolder)).toBeLessThan(1e-6);
  });

  it('falls back to onnx/model_quantized.onnx when model.onnx is absent', async () => {
    const dir = await tinyModel('tiny-bert-q');
    await rename(path.join(dir, 'onnx', 'model.onnx'), path.join(dir, 'onnx', 'model_quantized.onnx'));
    const [v] = await (await open(dir)).embedDocuments([ABSTRACTS[1]]);
    const [expected] = await embedder.embedDocuments([ABSTRACTS[1]]);
    expect(maxAbsDiff(v, expected)).toBeLessThan(1e-6);
  });

  it('throws MODEL_NOT_FOUND naming the folder for a missing folder', async () => {
    const missing = path.join(tmp, 'no-such-model');
    await expectModelNotFound(createTransformersEmbedder(missing, { allowRemote: false, modelsDir }), missing);
    // A folder path is never turned into a download, even when downloads are allowed.
    await expectModelNotFound(createTransformersEmbedder(missing, { allowRemote: true, modelsDir }), missing);
  });

  it('throws MODEL_NOT_FOUND listing missing files for an incomplete folder', async () => {
    const dir = path.join(tmp, 'incomplete');
    await mkdir(dir, { recursive: true });
    await cp(path.join(folder, 'config.json'), path.join(dir, 'config.json'));
    const err = await expectModelNotFound(createTransformersEmbedder(dir, { allowRemote: false, modelsDir }), dir);
    expect(err.message).toContain('tokenizer.json');
  });

  it('throws MODEL_NOT_FOUND for an unknown hub id when remote models are not allowed', async () => {
    const expected = path.join(modelsDir, 'no-org', 'no-such-model');
    const err = await expectModelNotFound(
      createTransformersEmbedder('no-org/no-such-model', { allowRemote: false, modelsDir }),
      expected,
    );
    expect(err.details).toMatchObject({ model: 'no-org/no-such-model' });
  });

  it('honours CLS pooling from 1_Pooling/config.json', async () => {
    const clsDir = await tinyModel('tiny-bert-cls');
    await writePooling(clsDir, true);
    const meanDir = await tinyModel('tiny-bert-mean');
    await writePooling(meanDir, false);
    const cls = await open(clsDir);
    const mean = await open(meanDir);

    const texts = [ABSTRACTS[0], ABSTRACTS[14]];
    const clsVectors = await cls.embedDocuments(texts);
    const meanVectors = await mean.embedDocuments(texts);
    const defaultVectors = await embedder.embedDocuments(texts);
    for (let i = 0; i < texts.length; i++) {
      expect(norm(clsVectors[i])).toBeCloseTo(1, 5);
      expect(maxAbsDiff(meanVectors[i], defaultVectors[i])).toBeLessThan(1e-6);
      expect(cosine(clsVectors[i], meanVectors[i])).toBeLessThan(0.99);
    }
    // The [CLS] vector still depends on the text, it is not a constant.
    expect(cosine(clsVectors[0], clsVectors[1])).toBeLessThan(0.99);
  });

  it('prefixes bge queries (with CLS pooling) and e5 queries and passages', async () => {
    const clsDir = await tinyModel('tiny-bert-cls-ref');
    await writePooling(clsDir, true);
    const clsRef = await open(clsDir);
    const bge = await open(await tinyModel('tiny-bge-small'));
    const e5 = await open(await tinyModel('tiny-e5-small'));
    const text = 'semantic search over documents';

    const [bgeExpectedQuery, bgeExpectedDoc] = await clsRef.embedDocuments([BGE_QUERY_PREFIX + text, text]);
    expect(maxAbsDiff(await bge.embedQuery(text), bgeExpectedQuery)).toBeLessThan(1e-6);
    expect(maxAbsDiff((await bge.embedDocuments([text]))[0], bgeExpectedDoc)).toBeLessThan(1e-6);

    const [e5ExpectedQuery, e5ExpectedDoc] = await embedder.embedDocuments([`query: ${text}`, `passage: ${text}`]);
    expect(maxAbsDiff(await e5.embedQuery(text), e5ExpectedQuery)).toBeLessThan(1e-6);
    expect(maxAbsDiff((await e5.embedDocuments([text]))[0], e5ExpectedDoc)).toBeLessThan(1e-6);
    expect(maxAbsDiff(e5ExpectedQuery, e5ExpectedDoc)).toBeGreaterThan(1e-3);
  });
});
