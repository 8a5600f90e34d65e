import type { Paper } from '../types.ts';
import type { StoredTopic, TopicsFile } from './topic-files.ts';
import { clusterVectors } from './cluster.ts';
import { labelClusters, type LabelOptions } from './label-topics.ts';
import { sampleIndices } from './sample.ts';

export interface TopicInput {
  paper: Pick<Paper, 'id' | 'title' | 'abstract'>;
  vector: Float32Array;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
/**
 * Labels are counted over at most this many papers (a seeded sample): every
 * topic keeps hundreds of papers in it, phrase counts have settled long before,
 * and counting all of a large collection's phrases would dominate the step.
 */
const LABEL_SAMPLE = 20_000;

/**
 * Clusters papers by their vectors and describes each cluster: a label, its
 * distinctive terms, and its members ordered by cosine to the centroid (the
 * first ones are the most representative). Topics are numbered largest first.
 */
export function buildTopics(items: TopicInput[], options: { k?: number; seed?: number; labels?: LabelOptions } = {}): TopicsFile {
  const clustering = clusterVectors(
    items.map((i) => i.vector),
    { k: options.k, seed: options.seed },
  );
  const labelled = sampleIndices(items.length, LABEL_SAMPLE, options.seed ?? 42);
  const labels = labelClusters(
    labelled.map((i) => items[i].paper),
    labelled.map((i) => clustering.assignments[i]),
    clustering.k,
    options.labels,
  );
  const topics: Omit<StoredTopic, 'id'>[] = clustering.centroids.map((centroid, c) => {
    const members = items
      .map((item, i) => ({ item, i }))
      .filter(({ i }) => clustering.assignments[i] === c)
      .map(({ item }) => {
        let dot = 0;
        for (let t = 0; t < centroid.length; t++) dot += centroid[t] * item.vector[t];
        return { id: item.paper.id, score: round(dot) };
      })
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return { ...labels[c], size: members.length, members };
  });
  topics.sort((a, b) => b.size - a.size || (a.label < b.label ? -1 : 1));
  return {
    chosenBy: options.k === undefined ? 'silhouette' : 'option',
    silhouette: clustering.silhouette === null ? null : round(clustering.silhouette),
    topics: topics.map((t, id) => ({ id, ...t })),
  };
}
