import type { SearchMode } from '../types.ts';
import type { SearchContext } from './context.ts';
import type { WeightedTerms } from './keyword-index.ts';
import { fuse, type FusionParams, type Ranked } from './fuse.ts';

export interface RetrieveRequest {
  mode: SearchMode;
  terms: WeightedTerms;
  /** Computed only when the mode needs it. */
  vector: () => Promise<Float32Array>;
  depth: number;
  filter?: (label: number) => boolean;
  /** How the two lists are fused in hybrid mode. */
  fusion: FusionParams;
}

/** The one dispatcher over keyword, semantic and hybrid ranking. */
export async function retrieve(ctx: SearchContext, req: RetrieveRequest): Promise<Ranked[]> {
  const keyword = () => ctx.index.keyword.search(req.terms, req.depth, req.filter).map(({ doc, score }) => ({ label: doc, score }));
  const semantic = async () => ctx.index.nearest(await req.vector(), req.depth, req.filter);
  switch (req.mode) {
    case 'keyword':
      return keyword();
    case 'semantic':
      return semantic();
    case 'hybrid':
      return fuse(keyword(), await semantic(), req.fusion);
  }
}
