import type { SearchContext } from '../search/context.ts';
import { tokenize } from '../text/tokenize.ts';
import { clusterVectors } from './cluster.ts';
import { labelClusters, type LabelDoc } from './label-topics.ts';

export interface ResultGroup {
  id: number;
  label: string;
  terms: string[];
  /** Row labels of the grouped papers, in their original rank order. */
  labels: number[];
}

/** What clustering a result list needs, copied out of the index so that another thread can do it. */
export interface GroupInput {
  /** The results' vectors in rank order, row after row. */
  vectors: Float32Array;
  dimension: number;
  docs: LabelDoc[];
  query: string;
}

/** A group of an input: `members` are positions in the input's rank order. */
export interface InputGroup {
  id: number;
  label: string;
  terms: string[];
  members: number[];
}

/** Clusters result lists: in this thread (`localGrouper`) or on worker threads (group-pool.ts). */
export interface ResultGrouper {
  group(input: GroupInput, signal?: AbortSignal): Promise<InputGroup[]>;
}

/** A result list holds a handful of approaches, not dozens. */
const MAX_GROUPS = 6;
const MIN_PER_GROUP = 3;

/**
 * Splits a ranked result list into labelled sub-topics: the same k-means
 * (k by silhouette) and c-TF-IDF labelling as the collection's topics, with the
 * query's own words kept out of the labels since every group shares them.
 * `shouldStop` is asked between candidate k values, so cancelled work ends early.
 */
export function groupInput(input: GroupInput, shouldStop?: () => boolean): InputGroup[] {
  const n = input.docs.length;
  if (!n) return [];
  const vectors = Array.from({ length: n }, (_, i) => input.vectors.subarray(i * input.dimension, (i + 1) * input.dimension));
  const hi = Math.min(MAX_GROUPS, Math.floor(n / MIN_PER_GROUP));
  const clustering = hi >= 2 ? clusterVectors(vectors, { kRange: [2, hi], shouldStop }) : { k: 1, assignments: vectors.map(() => 0) };
  const names = labelClusters(input.docs, clustering.assignments, clustering.k, { exclude: new Set(tokenize(input.query)), terms: 5 });
  const order = Array.from({ length: n }, (_, i) => i);
  const groups = names.map((name, c) => ({ ...name, members: order.filter((i) => clustering.assignments[i] === c) }));
  // Best first: the group holding the better-ranked results leads.
  return groups
    .filter((g) => g.members.length)
    .sort((a, b) => b.members.length - a.members.length || a.members[0] - b.members[0])
    .map((g, id) => ({ id, ...g }));
}

export const localGrouper: ResultGrouper = { group: async (input) => groupInput(input) };

/** Groups a ranked list of papers (row labels) with the context's grouper (this thread when it has none). */
export async function groupResults(ctx: SearchContext, labels: number[], query: string, signal?: AbortSignal): Promise<ResultGroup[]> {
  const { index } = ctx;
  const dimension = index.manifest.dimension;
  const vectors = new Float32Array(labels.length * dimension);
  labels.forEach((l, i) => vectors.set(index.vector(l), i * dimension));
  const docs = labels.map((l) => {
    const { title, abstract } = index.papers.get(l);
    return { title, abstract };
  });
  const groups = await (ctx.grouper ?? localGrouper).group({ vectors, dimension, docs, query }, signal);
  return groups.map(({ members, ...name }) => ({ ...name, labels: members.map((i) => labels[i]) }));
}
