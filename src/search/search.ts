import type { PaperHit, SearchMode } from '../types.ts';
import type { SearchContext } from './context.ts';
import { tokenize } from '../text/tokenize.ts';
import { termWeights } from './keyword-index.ts';
import { moreLikeThis } from './more-like-this.ts';
import { parseQuery, type QuerySplit } from './understand-query.ts';
import { retrieve } from './retrieve.ts';
import { combine, mean } from './vectors.ts';
import { combineFilters, toHits, yearFilter } from './hits.ts';

export interface SearchParams {
  q: string;
  k: number;
  offset: number;
  mode: SearchMode;
  yearFrom?: number;
  yearTo?: number;
}

export interface Interpretation {
  mode: SearchMode;
  /** Reference papers the query named and that were found. */
  like: { id: string; title: string }[];
  /** The topic searched for (the whole query when no paper is named). */
  about: string;
  /** Names that matched no paper; the whole query was searched instead. */
  unresolved: string[];
  note: string | null;
}

export interface SearchResponse {
  results: PaperHit[];
  interpretation: Interpretation;
  took_ms: number;
}

/**
 * Candidates fetched from each ranker. Fixed rather than grown with the page,
 * because fusion standardizes each signal over the candidates: a page of 10
 * and a page of 100 must rank the same way.
 */
const CANDIDATES = 200;
/** Topic words outweigh the reference paper's own terms in the keyword query. */
const ABOUT_TERM_WEIGHT = 2;
/**
 * Share of the named paper in the combined query vector. Paper-to-paper
 * similarity is the encoder's strong suit, a short topic phrase its weak one
 * (USE-lite puts "Chromospheric Cloud-Model Inversion" near "3D point clouds"),
 * so the paper leads and the topic steers.
 */
const LIKE_VECTOR_WEIGHT = 0.75;

function resolveSplit(ctx: SearchContext, splits: QuerySplit[]): { split: QuerySplit; labels: number[] } | null {
  for (const split of splits) {
    const found = split.names.map((n) => ctx.index.names.resolve(n));
    if (found.every((labels) => labels.length > 0)) return { split, labels: [...new Set(found.flat())] };
  }
  return null;
}

export async function search(ctx: SearchContext, params: SearchParams): Promise<SearchResponse> {
  const started = performance.now();
  const { index } = ctx;
  const parsed = parseQuery(params.q);
  const resolved = resolveSplit(ctx, parsed.splits);

  const interpretation: Interpretation = { mode: params.mode, like: [], about: parsed.text, unresolved: [], note: null };
  let terms;
  let vector: () => Promise<Float32Array>;
  let exclude: Set<number> | undefined;

  if (resolved) {
    const { split, labels } = resolved;
    interpretation.like = labels.map((l) => ({ id: index.papers.id(l), title: index.papers.title(l) }));
    interpretation.about = split.about;
    exclude = new Set(labels);
    const aboutTokens = tokenize(split.about);
    terms = moreLikeThis(index.keyword, labels, 1, termWeights(aboutTokens, ABOUT_TERM_WEIGHT));
    const liked = mean(labels.map((l) => index.vector(l)));
    vector = async () => (split.about ? combine([{ vector: liked, weight: LIKE_VECTOR_WEIGHT }, { vector: await ctx.embedQuery(split.about), weight: 1 - LIKE_VECTOR_WEIGHT }]) : liked);
  } else {
    if (parsed.splits.length) {
      interpretation.unresolved = parsed.splits[parsed.splits.length - 1].names;
      interpretation.note = `No paper named ${interpretation.unresolved.map((n) => `"${n}"`).join(', ')} was found; searched the whole query instead.`;
    }
    terms = termWeights(tokenize(parsed.text));
    vector = () => ctx.embedQuery(parsed.text);
  }

  const notExcluded = exclude ? (label: number) => !exclude.has(label) : undefined;
  const ranked = await retrieve(ctx, {
    mode: params.mode,
    terms,
    vector,
    depth: Math.max(CANDIDATES, params.offset + params.k),
    filter: combineFilters(notExcluded, yearFilter(index, params.yearFrom, params.yearTo)),
    fusion: ctx.fusion,
  });
  const page = ranked.slice(params.offset, params.offset + params.k);
  const results = toHits(index, page, [...terms.keys()]);
  return { results, interpretation, took_ms: Math.round((performance.now() - started) * 100) / 100 };
}
