import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../config.ts';
import { PaperscopeError } from '../errors.ts';
import { l2normalize, type Embedder } from './embedder.ts';
import { decodeStaticTable, sha256, type StaticTable } from './static-file.ts';
import { USE_LITE_VOCAB_FILE, useLiteTokenizer, type Encode } from './use-lite.ts';

/**
 * `use-lite-static`: a static model distilled from USE-lite (the model2vec
 * method, `npm run distill`, src/embed/distill.ts). Each SentencePiece piece has
 * one stored vector, already scaled by its frequency weight; a text's vector is
 * the normalized sum of its pieces' vectors. No network runs, so a text costs
 * its tokenization and a few hundred additions per piece, and the whole text is
 * read (USE-lite itself stops at 128 pieces).
 */
export const USE_LITE_STATIC = 'use-lite-static';

export interface StaticModelFiles {
  /** The int8 table (static-file.ts). */
  table: string;
  /** How the table was made and its checksum (StaticMeta). */
  meta: string;
}

/** Committed to the repository, so that `npm ci` alone gives a working model. */
export const STATIC_MODEL_FILES: StaticModelFiles = {
  table: path.join(REPO_ROOT, 'assets', 'use-lite-static.bin'),
  meta: path.join(REPO_ROOT, 'assets', 'use-lite-static.json'),
};

/** The sidecar: enough to rebuild the table (`command`) and to check that it matches the tokenizer it was made for. */
export interface StaticMeta {
  model: typeof USE_LITE_STATIC;
  command: string;
  teacher: { package: string; version: string; vocab_sha256: string };
  vocab_size: number;
  dimension: number;
  /** Pieces embedded through the teacher (all of them, or the first N in a test's tiny run). */
  pieces_distilled: number;
  pca: { from: number; to: number; explained_variance: number };
  weighting: { method: 'sif'; probabilities: 'unigram' | 'sample'; a: number; sample_pieces?: number } | { method: 'none' };
  quantization: string;
  table: { sha256: string; bytes: number };
}

const SPEC = /^use-lite-static(?:@([0-9a-f]{8}))?$/;

export function isUseLiteStatic(spec: string): boolean {
  return SPEC.test(spec);
}

function readMeta(files: StaticModelFiles): StaticMeta {
  try {
    return JSON.parse(fs.readFileSync(files.meta, 'utf8'));
  } catch (err) {
    throw new PaperscopeError('MODEL_NOT_FOUND', `The static model's description ${files.meta} could not be read (${(err as Error).message}); run \`npm run distill\` to rebuild it`, { file: files.meta });
  }
}

/**
 * The id a build records: the table's checksum is part of it, so that an index
 * built with one distillation is never searched with another's query vectors.
 */
export function useLiteStaticId(files: StaticModelFiles = STATIC_MODEL_FILES): string {
  return idOf(readMeta(files));
}

const idOf = (meta: StaticMeta) => `${USE_LITE_STATIC}@${meta.table.sha256.slice(0, 8)}`;

/** Reads and checks the table: its checksum against the sidecar, and the sidecar's tokenizer against the installed one. */
export function loadStaticModel(files: StaticModelFiles = STATIC_MODEL_FILES): { table: StaticTable; meta: StaticMeta } {
  const meta = readMeta(files);
  const bytes = fs.readFileSync(files.table);
  const actual = sha256(bytes);
  if (actual !== meta.table.sha256) {
    throw new PaperscopeError('MODEL_NOT_FOUND', `${files.table} does not match its description (sha256 ${actual.slice(0, 8)}…, expected ${meta.table.sha256.slice(0, 8)}…); run \`npm run distill\` to rebuild it`, { file: files.table });
  }
  const vocab = sha256(fs.readFileSync(USE_LITE_VOCAB_FILE));
  if (vocab !== meta.teacher.vocab_sha256) {
    throw new PaperscopeError('MODEL_NOT_FOUND', `The static model was distilled for another USE-lite vocabulary than the installed ${meta.teacher.package}; run \`npm run distill\``, { file: files.meta });
  }
  const table = decodeStaticTable(bytes, files.table);
  if (table.rows !== meta.vocab_size || table.dimension !== meta.dimension) {
    throw new PaperscopeError('MODEL_NOT_FOUND', `${files.table} holds ${table.rows} × ${table.dimension}, its description says ${meta.vocab_size} × ${meta.dimension}`, { file: files.table });
  }
  return { table, meta };
}

/** A text's vector: the sum of its pieces' (weighted) rows, normalized. A text with no known piece is the zero vector. */
export function staticVector(table: StaticTable, ids: number[]): Float32Array {
  const { dimension, scales, values } = table;
  const out = new Float32Array(dimension);
  for (const id of ids) {
    const scale = scales[id];
    if (!scale) continue;
    const row = id * dimension;
    for (let j = 0; j < dimension; j++) out[j] += values[row + j] * scale;
  }
  return l2normalize(out);
}

export function staticEmbedder(id: string, table: StaticTable, encode: Encode): Embedder {
  const embed = (text: string) => staticVector(table, encode(text));
  return {
    id,
    dimension: table.dimension,
    embedDocuments: async (texts) => texts.map(embed),
    embedQuery: async (text) => embed(text),
  };
}

export async function createUseLiteStaticEmbedder(spec = USE_LITE_STATIC, files: StaticModelFiles = STATIC_MODEL_FILES): Promise<Embedder> {
  const { table, meta } = loadStaticModel(files);
  const id = idOf(meta);
  const wanted = SPEC.exec(spec)?.[1];
  if (wanted && !id.endsWith(`@${wanted}`)) {
    throw new PaperscopeError('MODEL_NOT_FOUND', `MODEL=${spec} names another distillation than the repository's ${id}; set MODEL=${USE_LITE_STATIC} and rebuild the index`, { model: spec, available: id });
  }
  const { encode } = await useLiteTokenizer();
  return staticEmbedder(id, table, encode);
}
