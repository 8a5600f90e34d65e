/**
 * transformers.js (ONNX) embedding backend for sentence-transformer models in the
 * Xenova folder layout, loaded from a local folder or, when allowed, the model hub.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { env, pipeline } from '@xenova/transformers';
import type { Tensor } from '@xenova/transformers';
import { PaperscopeError } from '../errors.ts';
import type { Embedder } from './embedder.ts';

export interface TransformersEmbedderOptions {
  /** Permit downloading hub models that are not under modelsDir (ALLOW_REMOTE_MODELS=1). */
  allowRemote: boolean;
  /** Where hub ids are looked up (`<modelsDir>/<id>`) and downloads are cached. */
  modelsDir: string;
}

type Pooling = 'mean' | 'cls';

const BATCH_SIZE = 16;
const BGE_QUERY_PREFIX = 'Represent this sentence for searching relevant passages: ';
const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
const ONNX_FILES = ['onnx/model.onnx', 'onnx/model_quantized.onnx'];

/** Where transformers.js should look, and whether the files are already on disk. */
interface ModelLocation {
  /** Normalized name: the folder's basename or the hub id. */
  name: string;
  /** Value for env.localModelPath; transformers.js joins it with `name`. */
  root: string;
  /** Folder holding the files, or where they should be put. */
  folder: string;
  onDisk: boolean;
  isFolderSpec: boolean;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function missingFiles(folder: string): string[] {
  const missing = REQUIRED_FILES.filter((f) => !existsSync(path.join(folder, f)));
  if (!ONNX_FILES.some((f) => existsSync(path.join(folder, f)))) missing.push(ONNX_FILES.join(' or '));
  return missing;
}

function cacheDirFor(modelsDir: string): string {
  return path.join(path.resolve(modelsDir), '.cache');
}

function locate(spec: string, options: TransformersEmbedderOptions): ModelLocation {
  if (spec.startsWith('.') || path.isAbsolute(spec) || isDirectory(spec)) {
    const folder = path.resolve(spec);
    // transformers.js builds paths as `${localModelPath}/${name}/${file}` with string
    // joins, so an absolute or ./relative spec has to be split into parent + basename.
    const onDisk = missingFiles(folder).length === 0;
    return { name: path.basename(folder), root: path.dirname(folder), folder, onDisk, isFolderSpec: true };
  }
  const root = path.resolve(options.modelsDir);
  const expected = path.join(root, spec);
  // A previous ALLOW_REMOTE_MODELS=1 run leaves the files in the download cache,
  // which transformers.js consults before localModelPath.
  const found = [expected, path.join(cacheDirFor(options.modelsDir), spec)].find((f) => missingFiles(f).length === 0);
  return { name: spec, root, folder: found ?? expected, onDisk: found !== undefined, isFolderSpec: false };
}

function notFound(spec: string, folder: string, why: string): PaperscopeError {
  return new PaperscopeError(
    'MODEL_NOT_FOUND',
    `Embedding model "${spec}" not found: ${why}. Put an ONNX sentence-transformer ` +
      `(config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx or onnx/model_quantized.onnx) ` +
      `in ${folder}, or set ALLOW_REMOTE_MODELS=1 to download hub models.`,
    { model: spec, folder },
  );
}

function poolingFor(location: ModelLocation): Pooling {
  const file = path.join(location.folder, '1_Pooling', 'config.json');
  if (existsSync(file)) {
    const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (config.pooling_mode_cls_token) return 'cls';
    if (config.pooling_mode_mean_tokens) return 'mean';
    throw new PaperscopeError('INTERNAL', `Unsupported pooling in ${file}: only CLS and mean pooling are implemented`, {
      model: location.name,
    });
  }
  // Xenova's ONNX exports usually drop 1_Pooling; BGE model cards prescribe CLS pooling.
  return /bge/i.test(location.name) ? 'cls' : 'mean';
}

function prefixesFor(name: string): { query: string; document: string } {
  if (/bge/i.test(name)) return { query: BGE_QUERY_PREFIX, document: '' };
  // Boundary match so that unrelated names that merely contain "e5" are not affected.
  if (/(^|[^a-z0-9])e5([^0-9]|$)/i.test(name)) return { query: 'query: ', document: 'passage: ' };
  return { query: '', document: '' };
}

// transformers.js keeps its settings in a global `env`, read while files load; loads
// are serialized so two embedders created concurrently cannot mix their settings.
let loadQueue: Promise<unknown> = Promise.resolve();
function serialized<T>(task: () => Promise<T>): Promise<T> {
  const run = loadQueue.then(task, task);
  loadQueue = run.catch(() => undefined);
  return run;
}

async function loadPipeline(spec: string, location: ModelLocation, options: TransformersEmbedderOptions) {
  env.allowLocalModels = true;
  env.localModelPath = location.root;
  env.cacheDir = cacheDirFor(options.modelsDir);
  // A folder spec must never turn into a hub request for `<basename>/...`, nor be
  // shadowed by a same-named entry in the download cache.
  env.allowRemoteModels = location.isFolderSpec ? false : options.allowRemote;
  env.useFSCache = !location.isFolderSpec;

  // Prefer full precision; the quantized file is the fallback (and all we try to
  // download if the full one is missing on the hub).
  const attempts = location.onDisk ? [!existsSync(path.join(location.folder, ONNX_FILES[0]))] : [false, true];
  let lastError: unknown;
  for (const quantized of attempts) {
    try {
      return await pipeline('feature-extraction', location.name, { quantized });
    } catch (err) {
      lastError = err;
    }
  }
  if (location.onDisk) throw lastError;
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw notFound(spec, location.folder, `download failed (${reason})`);
}

export async function createTransformersEmbedder(
  spec: string,
  options: TransformersEmbedderOptions,
): Promise<Embedder> {
  const location = locate(spec, options);
  if (!location.onDisk && (location.isFolderSpec || !options.allowRemote)) {
    const missing = missingFiles(location.folder).join(', ');
    const why = location.isFolderSpec ? `missing ${missing}` : `missing ${missing} and remote downloads are disabled`;
    throw notFound(spec, location.folder, why);
  }

  const extractor = await serialized(() => loadPipeline(spec, location, options));

  // Some tokenizer configs carry no or an absurd model_max_length (1e30); clamp to the
  // position-embedding table so long abstracts are truncated rather than crash the model.
  const maxPositions = Number((extractor.model.config as { max_position_embeddings?: number }).max_position_embeddings);
  const configured = Number(extractor.tokenizer.model_max_length);
  const limits = [configured, maxPositions].filter((n) => Number.isFinite(n) && n > 0);
  extractor.tokenizer.model_max_length = limits.length > 0 ? Math.min(...limits) : 512;

  const pooling = poolingFor(location);
  const prefixes = prefixesFor(location.name);

  async function embed(texts: string[]): Promise<Float32Array[]> {
    const output: Tensor = await extractor(texts, { pooling, normalize: true });
    const dim = output.dims[output.dims.length - 1];
    const data = output.data as Float32Array;
    return texts.map((_, i) => data.slice(i * dim, (i + 1) * dim));
  }

  const [probe] = await embed(['dimension probe']);

  return {
    id: `transformers:${location.name}`,
    dimension: probe.length,
    async embedDocuments(texts) {
      const vectors: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += BATCH_SIZE) {
        const batch = texts.slice(i, i + BATCH_SIZE).map((t) => prefixes.document + t);
        vectors.push(...(await embed(batch)));
      }
      return vectors;
    },
    async embedQuery(text) {
      const [vector] = await embed([prefixes.query + text]);
      return vector;
    },
    async dispose() {
      await extractor.dispose();
    },
  };
}
