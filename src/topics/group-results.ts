import type { SearchIndex } from '../store/load-index.ts';
import { tokenize } from '../text/tokenize.ts';
import { clusterVectors } from './cluster.ts';
import { labelClusters } from './label-topics.ts';

export interface ResultGroup {
  id: number;
  label: string;
  terms: string[];
  /** Row labels of the grouped papers, in their original rank order. */
  labels: number[];
}

/** A result list holds a handful of approaches, not dozens. */
const MAX_GROUPS = 6;
const MIN_PER_GROUP = 3;

/**
 * Splits a ranked result list into labelled sub-topics: the same k-means
 * (k by silhouette) and c-TF-IDF labelling as the collection's topics, with the
 * query's own words kept out of the labels since every group shares them.
 */
export function groupResults(index: SearchIndex, labels: number[], query: string): ResultGroup[] {
  if (!labels.length) return [];
  const hi = Math.min(MAX_GROUPS, Math.floor(labels.length / MIN_PER_GROUP));
  const clustering =
    hi >= 2
      ? clusterVectors(labels.map((l) => index.vector(l)), { kRange: [2, hi] })
      : { k: 1, assignments: labels.map(() => 0) };
  const names = labelClusters(
    labels.map((l) => index.papers.get(l)),
    clustering.assignments,
    clustering.k,
    { exclude: new Set(tokenize(query)), terms: 5 },
  );
  const groups = names.map((name, c) => ({ ...name, labels: labels.filter((_, i) => clustering.assignments[i] === c) }));
  // Best first: the group holding the better-ranked results leads.
  const firstRank = (g: { labels: number[] }) => labels.indexOf(g.labels[0]);
  return groups
    .filter((g) => g.labels.length)
    .sort((a, b) => b.labels.length - a.labels.length || firstRank(a) - firstRank(b))
    .map((g, id) => ({ id, ...g }));
}
