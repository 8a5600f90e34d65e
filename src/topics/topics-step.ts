import type { BuildStep } from '../../indexer/build-steps.ts';
import { PaperscopeError } from '../errors.ts';
import { buildTopics } from './topic-model.ts';
import { computeMap } from './topic-map.ts';
import { writeMapFile, writeTopicsFile } from './topic-files.ts';
import { canPlace, placeMap, placeTopics } from './place-new.ts';

function topicCount(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new PaperscopeError('INVALID_INPUT', `--topics must be a positive whole number, got ${String(value)}`, { field: 'topics' });
  }
  return value;
}

/** Topics (k-means, k by silhouette or --topics; c-TF-IDF labels), stored in the build as topics.json; or the previous build's, new papers placed. */
export const topicsStep: BuildStep = {
  name: 'topics',
  async run({ buildDir, rows, options, previous }) {
    const k = topicCount(options.topics);
    const carried = canPlace(previous, rows) && (k === undefined || k === previous.topics.topics.length);
    await writeTopicsFile(buildDir, carried ? placeTopics(previous!.topics, rows) : buildTopics(rows, { k }));
  },
};

/** The 2-D UMAP layout of the collection for the web page, stored as map.json; or the previous build's, new papers placed. */
export const mapStep: BuildStep = {
  name: 'map',
  async run({ buildDir, rows, previous }) {
    if (canPlace(previous, rows)) return writeMapFile(buildDir, placeMap(previous.map, rows));
    const layout = computeMap(rows.map((r) => r.vector));
    await writeMapFile(buildDir, { points: rows.map((r, i) => ({ id: r.paper.id, ...layout[i] })) });
  },
};
