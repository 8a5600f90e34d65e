import { tokenize } from '../text/tokenize.ts';

/**
 * BM25F over title and abstract, held in memory as flat postings.
 * Written here rather than taken from LanceDB's full-text index or a search
 * library because the service needs per-query control (field weights, the
 * scientific tokenizer, term statistics for "more like this" and adaptive
 * fusion) at microsecond cost, and the posting lists are small.
 */
export interface Bm25Params {
  k1: number;
  b: number;
  titleWeight: number;
}

/**
 * Measured on the development data (docs/evaluation.md): from k1 1.2 / title ×2 to
 * k1 1.5 / title ×3, SciFact nDCG@10 0.6928 → 0.6975 and CSFCube MAP 0.3869 → 0.3936.
 */
export const DEFAULT_BM25: Bm25Params = { k1: 1.5, b: 0.75, titleWeight: 3 };

export type WeightedTerms = Map<string, number>;

/** Query tokens as weights: a term typed twice counts twice. */
export function termWeights(tokens: string[], weight = 1, into: WeightedTerms = new Map()): WeightedTerms {
  for (const t of tokens) into.set(t, (into.get(t) ?? 0) + weight);
  return into;
}

interface Postings {
  docs: Int32Array;
  tfs: Float32Array;
}

export interface KeywordIndex {
  readonly size: number;
  readonly params: Bm25Params;
  /** Documents containing `term`, for df and idf. */
  docFreq(term: string): number;
  idf(term: string): number;
  /** Weighted term frequencies of one document (title counted titleWeight times). */
  termCounts(doc: number): Map<string, number>;
  /** Every document holding a query term, with its BM25 score and coverage. */
  match(query: WeightedTerms, filter?: (doc: number) => boolean): Map<number, KeywordMatch>;
  /** BM25 ranking for weighted query terms (a term's weight multiplies its idf). */
  search(query: WeightedTerms, limit: number, filter?: (doc: number) => boolean): { doc: number; score: number }[];
}

export interface KeywordMatch {
  score: number;
  /** Share of the query's weight × idf that the document holds at all: a claim's rare terms found together. */
  coverage: number;
}

/** The best `limit` matches, best first. */
export function topMatches(matches: Map<number, KeywordMatch>, limit: number): { doc: number; score: number }[] {
  const hits = [...matches].map(([doc, m]) => ({ doc, score: m.score }));
  hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
  return hits.slice(0, limit);
}

export interface KeywordDoc {
  title: string;
  abstract: string;
}

/**
 * The postings as flat typed arrays: what the indexer stores with a build, so
 * that the service loads them instead of re-tokenizing every abstract at start-up.
 * Term i's postings are docs/tfs[offsets[i] .. offsets[i + 1]).
 */
export interface KeywordPostings {
  params: Bm25Params;
  terms: string[];
  offsets: Uint32Array;
  docs: Int32Array;
  tfs: Float32Array;
  /** Weighted length of each document. */
  lengths: Float32Array;
}

function termCounter(params: Bm25Params): (d: KeywordDoc) => Map<string, number> {
  return (d) => {
    const counts = new Map<string, number>();
    for (const t of tokenize(d.title)) counts.set(t, (counts.get(t) ?? 0) + params.titleWeight);
    for (const t of tokenize(d.abstract)) counts.set(t, (counts.get(t) ?? 0) + 1);
    return counts;
  };
}

export function buildKeywordIndex(docs: KeywordDoc[], params: Bm25Params = DEFAULT_BM25): KeywordIndex {
  return keywordIndexFrom(indexTerms(docs, params), (doc) => docs[doc]);
}

export function indexTerms(docs: KeywordDoc[], params: Bm25Params = DEFAULT_BM25): KeywordPostings {
  const n = docs.length;
  const lengths = new Float32Array(n);
  const building = new Map<string, { docs: number[]; tfs: number[] }>();
  const countTerms = termCounter(params);

  docs.forEach((d, doc) => {
    const counts = countTerms(d);
    let len = 0;
    for (const [term, tf] of counts) {
      len += tf;
      let p = building.get(term);
      if (!p) building.set(term, (p = { docs: [], tfs: [] }));
      p.docs.push(doc);
      p.tfs.push(tf);
    }
    lengths[doc] = len;
  });

  const terms = [...building.keys()];
  const offsets = new Uint32Array(terms.length + 1);
  terms.forEach((t, i) => (offsets[i + 1] = offsets[i] + building.get(t)!.docs.length));
  const flatDocs = new Int32Array(offsets[terms.length]);
  const flatTfs = new Float32Array(offsets[terms.length]);
  terms.forEach((t, i) => {
    const p = building.get(t)!;
    flatDocs.set(p.docs, offsets[i]);
    flatTfs.set(p.tfs, offsets[i]);
  });
  return { params, terms, offsets, docs: flatDocs, tfs: flatTfs, lengths };
}

/** The searchable index over stored or freshly built postings; `textOf` supplies a document's text for "more like this". */
export function keywordIndexFrom(data: KeywordPostings, textOf: (doc: number) => KeywordDoc): KeywordIndex {
  const { params, lengths } = data;
  const n = lengths.length;
  const postings = new Map<string, Postings>();
  data.terms.forEach((term, i) => {
    const [start, end] = [data.offsets[i], data.offsets[i + 1]];
    postings.set(term, { docs: data.docs.subarray(start, end), tfs: data.tfs.subarray(start, end) });
  });
  // Recomputed on demand rather than kept: a Map per paper costs kilobytes each at a million papers.
  const countTerms = termCounter(params);
  const avgLength = n ? lengths.reduce((a, b) => a + b, 0) / n : 1;
  const idf = (term: string) => {
    const df = postings.get(term)?.docs.length ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };

  const match = (query: WeightedTerms, filter?: (doc: number) => boolean): Map<number, KeywordMatch> => {
    const matches = new Map<number, KeywordMatch>();
    let total = 0;
    for (const [term, qw] of query) {
      const w = idf(term) * qw;
      total += w;
      const p = postings.get(term);
      if (!p) continue;
      for (let i = 0; i < p.docs.length; i++) {
        const doc = p.docs[i];
        const tf = p.tfs[i];
        const norm = tf + params.k1 * (1 - params.b + (params.b * lengths[doc]) / avgLength);
        let m = matches.get(doc);
        if (!m) matches.set(doc, (m = { score: 0, coverage: 0 }));
        m.score += (w * tf * (params.k1 + 1)) / norm;
        m.coverage += w;
      }
    }
    for (const [doc, m] of matches) {
      if (filter && !filter(doc)) matches.delete(doc);
      else m.coverage /= total;
    }
    return matches;
  };

  return {
    size: n,
    params,
    docFreq: (term) => postings.get(term)?.docs.length ?? 0,
    idf,
    termCounts: (doc) => countTerms(textOf(doc)),
    match,
    search: (query, limit, filter) => topMatches(match(query, filter), limit),
  };
}
