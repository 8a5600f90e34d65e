import type { SearchMode } from '../types.ts';
import type { SearchContext } from './context.ts';
import { topMatches, type KeywordMatch, type WeightedTerms } from './keyword-index.ts';
import { fuse, fuseSignals, type FusionParams, type Ranked } from './fuse.ts';
import { candidateSignals } from './signals.ts';

export interface RetrieveRequest {
  mode: SearchMode;
  terms: WeightedTerms;
  /** Computed only when the mode needs it. */
  vector: () => Promise<Float32Array>;
  depth: number;
  filter?: (label: number) => boolean;
  /** How the two lists are fused in hybrid mode. */
  fusion: FusionParams;
  /** The keyword matches of `terms` under `filter`, when the caller has them already (it scores confidence from them). */
  matches?: Map<number, KeywordMatch>;
}

/** The one dispatcher over keyword, semantic and hybrid ranking. */
export async function retrieve(ctx: SearchContext, req: RetrieveRequest): Promise<Ranked[]> {
  const { index } = ctx;
  switch (req.mode) {
    case 'keyword':
      return topMatches(req.matches ?? index.keyword.match(req.terms, req.filter), req.depth).map(({ doc, score }) => ({ label: doc, score }));
    case 'semantic':
      return index.nearest(await req.vector(), req.depth, req.filter);
    case 'hybrid': {
      const matches = req.matches ?? index.keyword.match(req.terms, req.filter);
      const vector = await req.vector();
      return fuseHybrid(ctx, req, matches, index.nearest(vector, req.depth, req.filter), vector);
    }
  }
}

/** Hybrid ranking from the keyword matches and the semantic list (the benchmark times this step alone). */
export function fuseHybrid(ctx: SearchContext, req: Pick<RetrieveRequest, 'terms' | 'depth' | 'fusion'>, matches: Map<number, KeywordMatch>, semantic: Ranked[], vector: Float32Array): Ranked[] {
  const keyword = topMatches(matches, req.depth).map(({ doc, score }) => ({ label: doc, score }));
  if (req.fusion.method !== 'zscore') return fuse(keyword, semantic, req.fusion);
  const labels = [...new Set([...keyword, ...semantic].map((r) => r.label))];
  return fuseSignals(labels, candidateSignals(ctx.index, labels, matches, req.terms, vector), req.fusion);
}
