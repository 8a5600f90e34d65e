import fs from 'node:fs/promises';
import path from 'node:path';
import { PaperscopeError } from '../errors.ts';
import { topicPalette } from './palette.ts';

/** One topic as stored with a build; members are sorted nearest the centroid first. */
export interface StoredTopic {
  id: number;
  label: string;
  terms: string[];
  size: number;
  members: { id: string; score: number }[];
}

export interface TopicsFile {
  /** How k was set: chosen by silhouette, or given with --topics. */
  chosenBy: 'silhouette' | 'option';
  silhouette: number | null;
  topics: StoredTopic[];
}

/** A paper's place on the 2-D map, coordinates scaled to [0, 1]. */
export interface StoredPoint {
  id: string;
  x: number;
  y: number;
}

export interface MapFile {
  points: StoredPoint[];
  /** Papers placed into (or removed from) the layout since it was last fitted (src/topics/place-new.ts); absent: none. */
  placed?: number;
}

export interface MapPoint extends StoredPoint {
  topic: number;
}

export const TOPICS_FILE = 'topics.json';
export const MAP_FILE = 'map.json';

export async function writeTopicsFile(buildDir: string, topics: TopicsFile): Promise<void> {
  await fs.writeFile(path.join(buildDir, TOPICS_FILE), JSON.stringify(topics));
}

export async function writeMapFile(buildDir: string, map: MapFile): Promise<void> {
  await fs.writeFile(path.join(buildDir, MAP_FILE), JSON.stringify(map));
}

/** What the service holds in memory; null when the build has no topics (built before they existed). */
export interface LoadedTopics {
  file: TopicsFile;
  map: MapPoint[];
  byId: Map<number, StoredTopic>;
  /** Topic of each paper id. */
  topicOf: Map<string, number>;
  /** Colour of each topic id, from a palette sized to this build's topics. */
  colours: string[];
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new PaperscopeError('INDEX_CORRUPT', `Cannot read ${file}: ${(err as Error).message}`, { file });
  }
}

export async function loadTopics(buildDir: string): Promise<LoadedTopics | null> {
  const file = await readJson<TopicsFile>(path.join(buildDir, TOPICS_FILE));
  const map = await readJson<MapFile>(path.join(buildDir, MAP_FILE));
  if (!file || !map) return null;
  const topicOf = new Map<string, number>();
  for (const t of file.topics) for (const m of t.members) topicOf.set(m.id, t.id);
  const points = map.points.filter((p) => topicOf.has(p.id)).map((p) => ({ ...p, topic: topicOf.get(p.id)! }));
  return { file, map: points, byId: new Map(file.topics.map((t) => [t.id, t])), topicOf, colours: topicPalette(file.topics.length) };
}
