import type { PaperHit, SearchMode } from '../types.ts';
import type { SearchContext } from './context.ts';
import { PaperscopeError } from '../errors.ts';
import { moreLikeThis } from './more-like-this.ts';
import { expandQuery, SIMILAR_FEEDBACK } from './feedback.ts';
import { retrieve } from './retrieve.ts';
import { combine } from './vectors.ts';
import { toHits } from './hits.ts';

export interface SimilarParams {
  positive: string[];
  negative: string[];
  k: number;
  mode: SearchMode;
  /** Restricts the candidates (the evaluation ranks a judged pool); the given papers are always excluded. */
  filter?: (label: number) => boolean;
}

export interface SimilarResponse {
  results: PaperHit[];
  interpretation: { mode: SearchMode; positive: { id: string; title: string }[]; negative: { id: string; title: string }[] };
  took_ms: number;
}

/** How strongly "less like those" pushes away, relative to "more like these" (Rocchio's γ/β). */
const NEGATIVE_WEIGHT = 0.5;

function labelsOf(ctx: SearchContext, ids: string[], field: string): number[] {
  const labels = ids.map((id) => ctx.index.labelOf.get(id));
  const missing = ids.filter((_, i) => labels[i] === undefined);
  if (missing.length) {
    throw new PaperscopeError('PAPER_NOT_FOUND', `Unknown paper id${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`, { field, ids: missing });
  }
  return labels as number[];
}

/**
 * "More like these, less like those": a Rocchio-style vector plus a "more like
 * this" keyword query from the positives' distinctive terms (expanded by
 * pseudo-relevance feedback, the negatives' distinctive terms removed), fused
 * like a search. The given papers are excluded.
 */
export async function similar(ctx: SearchContext, params: SimilarParams): Promise<SimilarResponse> {
  const started = performance.now();
  const { index } = ctx;
  const pos = labelsOf(ctx, params.positive, 'positive');
  const neg = labelsOf(ctx, params.negative, 'negative');
  const given = new Set([...pos, ...neg]);
  const paperTerms = moreLikeThis(index.keyword, pos);
  // Feedback from the whole corpus, not the caller's filter: the neighbours describe the topic, whatever is asked for.
  const feedbackHits = index.keyword.search(paperTerms, SIMILAR_FEEDBACK.docs, (label) => !given.has(label));
  const terms = expandQuery(index.keyword, paperTerms, feedbackHits, SIMILAR_FEEDBACK);
  // After the expansion, so that feedback cannot bring back what the negatives stand for.
  if (neg.length) for (const t of moreLikeThis(index.keyword, neg).keys()) terms.delete(t);
  const vector = combine([
    ...pos.map((l) => ({ vector: index.vector(l), weight: 1 / pos.length })),
    ...neg.map((l) => ({ vector: index.vector(l), weight: -NEGATIVE_WEIGHT / neg.length })),
  ]);
  const filter = (label: number) => !given.has(label) && (!params.filter || params.filter(label));
  const matches = index.keyword.match(terms, filter);
  const ranked = await retrieve(ctx, { mode: params.mode, terms, vector: async () => vector, depth: params.k + 100, filter, fusion: ctx.similarFusion, matches });
  const describe = (l: number) => ({ id: index.papers.id(l), title: index.papers.title(l) });
  return {
    results: toHits(index, ranked.slice(0, params.k).map((r) => r.label), [...terms.keys()], (label) => matches.get(label)?.coverage ?? 0),
    interpretation: { mode: params.mode, positive: pos.map(describe), negative: neg.map(describe) },
    took_ms: Math.round((performance.now() - started) * 100) / 100,
  };
}
