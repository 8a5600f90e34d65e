import fs from 'node:fs';
import path from 'node:path';
import { workerData } from 'node:worker_threads';
import type { Embedder } from './embedder.ts';
import { createUseLiteEmbedder, isUseLite, useLiteId } from './use-lite.ts';
import { createUseLiteStaticEmbedder, isUseLiteStatic, useLiteStaticId } from './use-lite-static.ts';
import { LSA_ID, loadLsaModel, lsaEmbedder } from './lsa.ts';
import { PaperscopeError } from '../errors.ts';

export interface EmbedderOptions {
  modelsDir: string;
  allowRemote: boolean;
  /** The build whose corpus-fitted model (LSA) embeds queries; the indexer fits its own. */
  buildDir?: string;
}

function isFolderSpec(spec: string): boolean {
  return spec.startsWith('.') || path.isAbsolute(spec) || fs.existsSync(spec);
}

/**
 * The id an index records for a `--model` value, known without loading the
 * model, so that the indexer can tell whether stored vectors are reusable.
 */
export function modelId(spec: string): string {
  if (isUseLite(spec)) return useLiteId(spec);
  if (isUseLiteStatic(spec)) return useLiteStaticId();
  if (spec === LSA_ID) return spec;
  return `transformers:${isFolderSpec(spec) ? path.basename(path.resolve(spec)) : spec}`;
}

/**
 * Picks the backend for a `--model` / `MODEL` value: `use-lite` is the bundled
 * offline encoder (`use-lite:N` embeds each document's first N words);
 * `use-lite-static` is a static model distilled from it and committed; `lsa`
 * is learned from the indexed corpus itself; anything else is an ONNX
 * sentence-transformer for transformers.js (a local folder or a hub id).
 */
export async function createEmbedder(spec: string, options: EmbedderOptions): Promise<Embedder> {
  if (isUseLite(spec)) return createUseLiteEmbedder(spec);
  if (isUseLiteStatic(spec)) return createUseLiteStaticEmbedder(spec);
  if (spec === LSA_ID) {
    if (!options.buildDir) throw new PaperscopeError('MODEL_NOT_FOUND', 'The lsa model is fitted by the indexer and read from an index build', { model: spec });
    return lsaEmbedder(await loadLsaModel(options.buildDir));
  }
  // Loaded on demand: onnxruntime-node's addon can be loaded once per process,
  // never in a worker thread, so only the process that needs it may import it.
  const { createTransformersEmbedder } = await import('./transformers.ts');
  return createTransformersEmbedder(spec, options);
}

/**
 * USE-lite runs single-threaded WASM kernels, so one model per worker thread
 * uses every core; onnxruntime parallelises inside one session and cannot be
 * loaded in worker threads at all.
 */
/**
 * A pool thread's model (embedding and search threads): the spec and options its pool passed in
 * workerData, loaded and warmed up. The first call compiles the model's kernels (a few hundred ms):
 * paid at start-up, while the service loads its index, not by the first query.
 */
export async function loadThreadEmbedder(): Promise<Embedder> {
  const { spec, options } = workerData as { spec: string; options: EmbedderOptions };
  const embedder = await createEmbedder(spec, options);
  await embedder.embedQuery('warm-up');
  return embedder;
}

export function embedsInWorkers(spec: string): boolean {
  return isUseLite(spec);
}

/** The text a paper is embedded as. */
export function documentText(paper: { title: string; abstract: string }): string {
  return paper.abstract ? `${paper.title}. ${paper.abstract}` : paper.title;
}
