import { readJsonLines } from './beir.ts';

/** A CSFCube query: a paper of the corpus and the facet its similarity is judged on. */
export interface CsfcubeQuery {
  id: string;
  paperId: string;
  facet: CsfcubeFacet;
}

export const CSFCUBE_FACETS = ['background', 'method', 'result'] as const;
export type CsfcubeFacet = (typeof CSFCUBE_FACETS)[number];

export async function loadCsfcubeQueries(file: string): Promise<CsfcubeQuery[]> {
  const rows = await readJsonLines<{ _id: string; paper_id: string; facet: CsfcubeFacet }>(file);
  return rows.map((r) => ({ id: r._id, paperId: String(r.paper_id), facet: r.facet }));
}
