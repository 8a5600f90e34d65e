import type { StoredPaper } from '../src/types.ts';
import type { SearchContext } from '../src/search/context.ts';
import { DEFAULT_FUSION, DEFAULT_SIMILAR_FUSION, type FusionParams } from '../src/search/fuse.ts';
import { buildKeywordIndex, DEFAULT_BM25, type Bm25Params } from '../src/search/keyword-index.ts';
import { createEmbedder, documentText, modelId } from '../src/embed/create-embedder.ts';
import { createEmbedPool } from '../src/embed/embed-pool.ts';
import { buildAnnIndex, DEFAULT_ANN_PARAMS } from '../src/store/ann-index.ts';
import { createSearchIndex } from '../src/store/load-index.ts';
import { memoryPaperStore } from '../src/store/paper-store.ts';
import { memoryVectors } from '../src/store/vector-file.ts';
import { FORMAT_VERSION } from '../src/store/manifest.ts';
import { contentHash, normalizeText } from '../src/text/normalize.ts';
import { loadConfig } from '../src/config.ts';
import { readFile } from '../indexer/readers/index.ts';
import { openEmbeddingCache } from './eval-cache.ts';
import { fitLsa, lsaEmbedder, LSA_ID } from '../src/embed/lsa.ts';
import { buildSpellingData, buildVocabulary, spellingIndex } from '../src/text/spelling.ts';

export interface EvalIndexOptions {
  corpus: string;
  model: string;
  workers: number;
  fusion?: FusionParams;
  similarFusion?: FusionParams;
  bm25?: Bm25Params;
  /** False for keyword-only runs: no document is embedded and the ANN holds placeholders. */
  embed?: boolean;
  log?: (line: string) => void;
}

export interface EvalIndex {
  ctx: SearchContext;
  model: string;
  /** Embeds (and caches) query texts ahead of the run, so that timing covers ranking only. */
  warmQueries(texts: string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * The service's SearchIndex, built in memory for a benchmark corpus: the
 * indexer's reader, its document text and content hash, the same ANN and
 * keyword index. The corpus is read with `readFile` rather than `readInputs`
 * because a benchmark must keep every judged document, including the few whose
 * titles repeat (readInputs drops those as duplicates).
 */
export async function buildEvalIndex(opts: EvalIndexOptions): Promise<EvalIndex> {
  const log = opts.log ?? (() => {});
  const { papers: read } = await readFile(opts.corpus);
  const papers: StoredPaper[] = read.map((p) => ({ ...p, contentHash: contentHash(p) }));
  const embed = opts.embed ?? true;
  const assemble = (vectors: Float32Array[], model: string, embedQuery: (text: string) => Promise<Float32Array>) => {
    const dimension = vectors[0].length;
    const ann = buildAnnIndex(vectors, dimension, DEFAULT_ANN_PARAMS);
    const manifest = { formatVersion: FORMAT_VERSION, model, dimension, count: papers.length, ann: DEFAULT_ANN_PARAMS, builtAt: new Date().toISOString(), timings: {}, files: {} };
    const index = createSearchIndex('', manifest, memoryPaperStore(papers), ann, buildKeywordIndex(papers, opts.bm25 ?? DEFAULT_BM25), memoryVectors(vectors));
    // What the indexer's spelling step stores with a build.
    index.spelling = spellingIndex(buildSpellingData(buildVocabulary(papers.map((p) => `${p.title} ${p.abstract}`))));
    return { index, embedQuery, fusion: opts.fusion ?? DEFAULT_FUSION, similarFusion: opts.similarFusion ?? DEFAULT_SIMILAR_FUSION };
  };

  if (!embed) {
    return { ctx: assemble(papers.map(() => Float32Array.of(1)), modelId(opts.model), async () => Float32Array.of(1)), model: modelId(opts.model), warmQueries: async () => {}, close: async () => {} };
  }
  if (opts.model === LSA_ID) {
    // Fitted on the corpus itself in seconds: nothing worth caching.
    const started = performance.now();
    const embedder = lsaEmbedder(fitLsa(papers.map((p) => documentText(p))));
    log(`fitted LSA (${embedder.dimension}-d) on ${papers.length} documents in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const vectors = await embedder.embedDocuments(papers.map((p) => documentText(p)));
    return { ctx: assemble(vectors, LSA_ID, embedder.embedQuery), model: LSA_ID, warmQueries: async () => {}, close: async () => {} };
  }

  const config = loadConfig();
  const embedOptions = { modelsDir: config.modelsDir, allowRemote: config.allowRemoteModels };
  const model = modelId(opts.model);
  const cache = await openEmbeddingCache(model);
  const missing = papers.filter((p) => !cache.get(p.contentHash));
  if (missing.length) {
    log(`embedding ${missing.length} of ${papers.length} documents with ${model} (${opts.workers} workers)`);
    const pool = await createEmbedPool(opts.model, embedOptions, opts.workers);
    try {
      const vectors = await pool.embedDocuments(missing.map((p) => documentText(p)));
      missing.forEach((p, i) => cache.set(p.contentHash, vectors[i]));
    } finally {
      await pool.close();
    }
    await cache.save();
  }

  let embedder: Awaited<ReturnType<typeof createEmbedder>> | null = null;
  const queryKey = (text: string) => `query:${contentHash({ title: '', abstract: normalizeText(text) })}`;
  const embedQuery = async (text: string) => {
    const key = queryKey(text);
    let v = cache.get(key);
    if (!v) {
      embedder ??= await createEmbedder(opts.model, embedOptions);
      cache.set(key, (v = await embedder.embedQuery(text)));
    }
    return v;
  };
  return {
    ctx: assemble(papers.map((p) => cache.get(p.contentHash)!), model, embedQuery),
    model,
    async warmQueries(texts) {
      for (const t of texts) await embedQuery(t);
      await cache.save();
    },
    async close() {
      await cache.save();
      await embedder?.dispose?.();
    },
  };
}
