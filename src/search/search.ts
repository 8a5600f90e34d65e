import type { PaperHit, SearchMode, SearchSort } from '../types.ts';
import type { SearchContext } from './context.ts';
import { tokenize } from '../text/tokenize.ts';
import { termWeights } from './keyword-index.ts';
import { moreLikeThis } from './more-like-this.ts';
import { parseQuery, topicText, type QuerySplit } from './understand-query.ts';
import { correctQuery } from './correct-query.ts';
import { resolvePartialName } from './paper-names.ts';
import { ANSWER_DEPTH, answerMatch, matchOf, STRONG, WEAK, type Match } from './confidence.ts';
import { holdsTogether, queryPairs } from './together.ts';
import { retrieve } from './retrieve.ts';
import type { Ranked } from './fuse.ts';
import { combine, mean } from './vectors.ts';
import { combineFilters, newestFirst, toHits, yearFilter } from './hits.ts';

export interface SearchParams {
  q: string;
  k: number;
  offset: number;
  mode: SearchMode;
  yearFrom?: number;
  yearTo?: number;
  /** False searches the words as typed, without spelling correction ("search instead for …"). */
  correct?: boolean;
  sort?: SearchSort;
}

export interface Interpretation {
  mode: SearchMode;
  /** Reference papers the query named and that were found. */
  like: { id: string; title: string }[];
  /** The topic searched for (the query without its wrapper words when no paper is named). */
  about: string;
  /** Names that matched no paper; only the topic was searched. */
  unresolved: string[];
  note: string | null;
  /** The query with its misspelt words corrected, when one was; absent otherwise. */
  corrected?: string;
  /** The terms matched (stemmed, without filler words): what results are scored and highlighted by. */
  terms: string[];
}

export interface SearchResponse {
  results: PaperHit[];
  /** Papers that match well enough to be shown (score ≥ WEAK): paging ends there. */
  total: number;
  /** True when `total` is an estimate rather than a count. */
  total_is_estimate: boolean;
  /** The answer's confidence: the best match among its first results. */
  match: Match;
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

/**
 * A query of up to this many terms asks for all of them, as in a search engine:
 * papers holding most of its information rank before those holding little of
 * it ("LLMs long context" before a paper that only mentions "context"). Longer
 * queries (SciFact's claims) are left to the fusion: partial matches are normal
 * there, and reordering every query cost 0.006 nDCG@10 (docs/evaluation.md).
 */
const SHORT_QUERY = 4;

/**
 * Papers whose match score reaches STRONG before the rest, each in rank order.
 * The score is the coverage `match()` already computed for every candidate, so
 * ordering reads no paper's text; whether a paper also holds two query words
 * together (its `strong` label) is read only for the results shown. Ordering by
 * the label instead read the text of every candidate until a page of strong
 * ones was found (most of the search thread's CPU on deep pages) and scored
 * SciFact dev 0.7171 against 0.7187 by coverage (docs/evaluation.md).
 */
function coveredFirst(ranked: Ranked[], covered: (label: number) => boolean): Ranked[] {
  const first: Ranked[] = [];
  const rest: Ranked[] = [];
  for (const r of ranked) (covered(r.label) ? first : rest).push(r);
  return [...first, ...rest];
}

type Resolved = { split: QuerySplit; labels: number[] };

/** Exact names for every split first, then partial ones: a longer split that only partly matches a title must not win over an exact shorter one. */
function resolveSplit(ctx: SearchContext, splits: QuerySplit[]): Resolved | null {
  for (const resolve of [(n: string) => ctx.index.names.resolve(n), (n: string) => resolvePartialName(ctx.index, n)]) {
    for (const split of splits) {
      const found = split.names.map(resolve);
      if (found.every((labels) => labels.length > 0)) return { split, labels: [...new Set(found.flat())] };
    }
  }
  return null;
}

function tidy(q: string): string {
  return q.trim().replace(/\s+/g, ' ').replace(/[?.!]+$/, '');
}

/**
 * Answers a search on `ctx`'s build: on its searcher's threads when it has one
 * (the service), else here. `signal` drops a search that is no longer wanted.
 */
export async function search(ctx: SearchContext, params: SearchParams, signal?: AbortSignal): Promise<SearchResponse> {
  if (signal?.aborted) throw signal.reason;
  if (ctx.searcher) return ctx.searcher.search(params, signal);
  return searchHere(ctx, params);
}

/** The retrieval core itself, in this thread. */
async function searchHere(ctx: SearchContext, params: SearchParams): Promise<SearchResponse> {
  const started = performance.now();
  const { index } = ctx;
  const typed = tidy(params.q);
  const fixed = index.spelling && params.correct !== false ? correctQuery(typed, index.spelling, index.keyword) : null;
  let parsed = parseQuery(fixed ?? typed);
  let resolved = resolveSplit(ctx, parsed.splits);
  let corrected = fixed ?? undefined;
  if (!resolved && fixed) {
    // A correction must not cost a paper its name.
    const original = parseQuery(typed);
    const byOriginal = resolveSplit(ctx, original.splits);
    if (byOriginal) [parsed, resolved, corrected] = [original, byOriginal, undefined];
  }

  const interpretation: Interpretation = { mode: params.mode, like: [], about: parsed.text, unresolved: [], note: null, ...(corrected ? { corrected } : {}), terms: [] };
  let terms;
  let vector: () => Promise<Float32Array>;
  let exclude: Set<number> | undefined;
  // A paper-to-paper query ("like X") has no word pairs to find: its matches hold together.
  let pairs: ReturnType<typeof queryPairs> = [];

  if (resolved) {
    const { split, labels } = resolved;
    interpretation.like = labels.map((l) => ({ id: index.papers.id(l), title: index.papers.title(l) }));
    interpretation.about = split.about;
    exclude = new Set(labels);
    const aboutTokens = tokenize(topicText(split.about));
    interpretation.terms = [...new Set(aboutTokens)];
    terms = moreLikeThis(index.keyword, labels, 1, termWeights(aboutTokens, ABOUT_TERM_WEIGHT));
    const liked = mean(labels.map((l) => index.vector(l)));
    vector = async () => (split.about ? combine([{ vector: liked, weight: LIKE_VECTOR_WEIGHT }, { vector: await ctx.embedQuery(split.about), weight: 1 - LIKE_VECTOR_WEIGHT }]) : liked);
  } else {
    let topic = parsed.text;
    if (parsed.splits.length) {
      // The shortest name: the split at the first separator ("FooNet" of "papers like FooNet about graphs").
      const { names, about } = parsed.splits[parsed.splits.length - 1];
      interpretation.unresolved = names;
      topic = about || names.join(' ');
      interpretation.about = topic;
      interpretation.note = `No paper named ${names.map((n) => `"${n}"`).join(', ')} was found; searched for "${topic}" instead.`;
    }
    const tokens = tokenize(topicText(topic));
    pairs = queryPairs(topicText(topic));
    interpretation.terms = [...new Set(tokens)];
    terms = termWeights(tokens);
    vector = () => ctx.embedQuery(topic);
  }

  const notExcluded = exclude ? (label: number) => !exclude.has(label) : undefined;
  const filter = combineFilters(notExcluded, yearFilter(index, params.yearFrom, params.yearTo));
  const matches = index.keyword.match(terms, filter);
  const scoreOf = (label: number) => matches.get(label)?.coverage ?? 0;
  const shown = (label: number) => scoreOf(label) >= WEAK;
  let total = 0;
  for (const m of matches.values()) if (m.coverage >= WEAK) total++;
  // Past the fixed candidates, deep enough that the papers not shown cannot leave a page short.
  const wanted = params.offset + params.k;
  const depth = wanted <= CANDIDATES ? CANDIDATES : wanted + (matches.size - total);
  const ranked = await retrieve(ctx, {
    mode: params.mode,
    terms,
    vector,
    depth,
    // Semantic search looks for its nearest papers among those worth showing; hybrid keeps its candidates whole, as fusion standardizes over them.
    filter: params.mode === 'semantic' ? combineFilters(filter, shown) : filter,
    fusion: ctx.fusion,
    matches,
  });
  const togetherCache = new Map<number, boolean>();
  const together = (label: number) => {
    let held = togetherCache.get(label);
    if (held === undefined) {
      const p = index.papers.get(label);
      togetherCache.set(label, (held = holdsTogether(pairs, [p.title, p.abstract])));
    }
    return held;
  };
  const matchOfLabel = (label: number) => matchOf(scoreOf(label), together(label));
  const covered = (label: number) => scoreOf(label) >= STRONG;
  const relevant = (terms.size <= SHORT_QUERY ? coveredFirst(ranked, covered) : ranked).map((r) => r.label).filter(shown);
  // Newest first orders every paper worth showing (the total), not only the ranked candidates; ties keep their relevance order.
  const labels = params.sort === 'newest' ? newestFirst(index, [...new Set([...relevant, ...[...matches.keys()].filter(shown)])], params.offset, wanted) : relevant;
  const results = toHits(index, labels.slice(params.offset, wanted), [...terms.keys()], scoreOf, together);
  return {
    results,
    total,
    total_is_estimate: false,
    match: answerMatch(relevant.slice(0, ANSWER_DEPTH).map(matchOfLabel)),
    interpretation,
    took_ms: Math.round((performance.now() - started) * 100) / 100,
  };
}
