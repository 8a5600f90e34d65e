/**
 * The query path: /api/search over HTTP against a real server on 127.0.0.1, one
 * client, beside the same queries' parts timed in-process. Cold queries miss
 * the server's caches; the second pass over the same queries is answered from
 * the answer LRU (routes/search.ts), without embedding or ranking again.
 */
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';
import { createEmbedPool } from '../src/embed/embed-pool.ts';
import { parseQuery } from '../src/search/understand-query.ts';
import { termWeights, type KeywordMatch } from '../src/search/keyword-index.ts';
import { tokenize } from '../src/text/tokenize.ts';
import { DEFAULT_FUSION, DEFAULT_SIMILAR_FUSION } from '../src/search/fuse.ts';
import { fuseHybrid } from '../src/search/retrieve.ts';
import { sentenceIndex } from '../src/search/best-sentence.ts';
import { toHits } from '../src/search/hits.ts';
import type { BenchArgs } from './run.ts';
import { percentiles, round, timeEach } from './stats.ts';
import { SAMPLE_INDEX_DIR, realVectors } from './vectors.ts';
import { sciFactQueryTexts } from './query-texts.ts';

/** Mirrors the API defaults: a page of 10 and the fusion depth search() uses. */
const K = 10;
const DEPTH = K + 100;

function summary(ms: number[]): { p50_ms: number; p99_ms: number } {
  const { p50, p99 } = percentiles(ms);
  return { p50_ms: round(p50), p99_ms: round(p99) };
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const count = Number(args.queries ?? 200);
  const mode = String(args.mode ?? 'hybrid');
  const indexDir = String(args.index ?? SAMPLE_INDEX_DIR);
  if (indexDir === SAMPLE_INDEX_DIR) await realVectors(); // builds the sample index when missing
  const config = { ...loadConfig(), indexDir, port: 0, host: '127.0.0.1' };
  const server = await startServer(config);
  const queries = await sciFactQueryTexts(count);
  const url = (q: string) => `${server.url}/api/search?q=${encodeURIComponent(q)}&k=${K}&mode=${mode}`;
  const get = async (q: string) => {
    const res = await fetch(url(q));
    if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${q}`);
    return res.text();
  };
  try {
    // Warm the HTTP path and JIT with queries outside the measured set.
    for (const q of ['warm up the server', 'graph neural networks', 'protein folding']) await get(q);
    console.error(`search: ${queries.length} queries over HTTP (${mode}), index ${indexDir}`);
    const cold = await timeEach(queries, get);
    const cached = await timeEach(queries, get);

    // The same queries' parts, in-process; queries embedded as the service does (on its query threads), without its cache.
    // The parts run on a fresh sentence cache, as the cold HTTP pass did: the HTTP passes have filled the server's.
    const index = { ...server.index, sentences: sentenceIndex(server.index.keyword, (label) => server.index.papers.get(label)) };
    const embedder = await createEmbedPool(config.model, { modelsDir: config.modelsDir, allowRemote: false }, config.queryWorkers);
    const parsed = queries.map((q) => parseQuery(q));
    const terms = parsed.map((p) => termWeights(tokenize(p.text)));
    const parts = {
      parse: await timeEach(queries, (q) => termWeights(tokenize(parseQuery(q).text))),
      embed: [] as number[],
      ann: [] as number[],
      keyword: [] as number[],
      fusion: [] as number[],
      serialize: [] as number[],
    };
    const vectors: Float32Array[] = [];
    parts.embed = await timeEach(parsed, async (p) => vectors.push(await embedder.embedQuery(p.text)));
    await embedder.close();
    const semantic = vectors.map(() => [] as { label: number; score: number }[]);
    parts.ann = await timeEach(vectors, (v, i) => (semantic[i] = index.nearest(v, DEPTH)));
    const matches = terms.map(() => new Map<number, KeywordMatch>());
    parts.keyword = await timeEach(terms, (t, i) => (matches[i] = index.keyword.match(t)));
    const fused = terms.map(() => [] as { label: number; score: number }[]);
    const ctx = { index, embedQuery: embedder.embedQuery, fusion: DEFAULT_FUSION, similarFusion: DEFAULT_SIMILAR_FUSION };
    parts.fusion = await timeEach(terms, (t, i) => (fused[i] = fuseHybrid(ctx, { terms: t, depth: DEPTH, fusion: DEFAULT_FUSION }, matches[i], semantic[i], vectors[i])));
    parts.serialize = await timeEach(terms, (t, i) =>
      JSON.stringify({ results: toHits(index, fused[i].slice(0, K).map((r) => r.label), [...t.keys()], (l) => matches[i].get(l)?.coverage ?? 0), interpretation: { mode, like: [], about: parsed[i].text, unresolved: [], note: null }, took_ms: 1 }),
    );

    const partSummaries = Object.fromEntries(Object.entries(parts).map(([name, ms]) => [name, summary(ms)]));
    const sumOfParts = Object.values(partSummaries).reduce((s, p) => s + p.p50_ms, 0);
    const sumWithoutEmbed = sumOfParts - partSummaries.embed.p50_ms;
    const coldSummary = summary(cold);
    const cachedSummary = summary(cached);
    return {
      overhead_ratio: round(coldSummary.p50_ms / sumOfParts, 2),
      cold_p50_ms: coldSummary.p50_ms,
      cold_p99_ms: coldSummary.p99_ms,
      cached_p50_ms: cachedSummary.p50_ms,
      cached_p99_ms: cachedSummary.p99_ms,
      cached_overhead_ms: round(cachedSummary.p50_ms - sumWithoutEmbed),
      sum_of_parts_p50_ms: round(sumOfParts),
      parts: partSummaries,
      queries: queries.length,
      mode,
      papers: index.papers.size,
      model: index.manifest.model,
      notes:
        'overhead_ratio = median end-to-end over HTTP (cold: query vector not cached) / sum of the medians of the parts timed in-process; ' +
        'cached = same queries again, answered from the server\'s answer LRU; one sequential client (node fetch) in the same process as the server; logging at LOG_LEVEL=warn',
    };
  } finally {
    await server.close();
  }
}
