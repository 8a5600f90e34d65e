import type { PaperRow } from '../store/papers-table.ts';
import type { MapFile, StoredTopic, TopicsFile } from './topic-files.ts';
import { weightedPosition } from './topic-map.ts';

/**
 * Topics and map carried over from the previous build, with the papers added
 * since placed into them instead of clustering and laying out the whole
 * collection again. Those two steps are two thirds of a 2,000-paper build
 * (UMAP and k-means with silhouette, on the builder's main thread), and the
 * cluster's builder rebuilds every few seconds while papers arrive, so that a
 * posted paper becomes searchable within a minute (docs/scaling.md). A new
 * paper joins the topic whose centroid is nearest (what k-means would assign
 * it), and lands on the map at the similarity-weighted mean of its nearest
 * placed neighbours (as topic-map.ts places papers outside its UMAP sample).
 * Labels, k and the old positions stay. Once papers placed or removed since
 * the last full fit pass REFIT_SHARE of the collection, both are computed
 * afresh. A paper whose content changed keeps its place until then.
 */
export interface PreviousLayout {
  topics: TopicsFile;
  map: MapFile;
}

/** Share of the collection that may have been placed (or removed) since the last fit. */
export const REFIT_SHARE = 0.1;
/** Placed neighbours that position a new paper on the map. */
const MAP_NEIGHBOURS = 5;

const round = (x: number) => Math.round(x * 1e4) / 1e4;

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Whether `previous` may be carried over to `rows`: it has topics, and little has changed since its last fit. */
export function canPlace(previous: PreviousLayout | undefined, rows: PaperRow[]): previous is PreviousLayout {
  if (!previous || previous.topics.topics.length === 0 || previous.map.points.length === 0 || rows.length === 0) return false;
  const before = new Set(previous.map.points.map((p) => p.id));
  const now = new Set(rows.map((r) => r.paper.id));
  let changed = previous.map.placed ?? 0;
  for (const id of now) if (!before.has(id)) changed++;
  for (const id of before) if (!now.has(id)) changed++;
  return changed <= REFIT_SHARE * rows.length;
}

/** The previous topics without removed papers, each new paper in the topic of the nearest centroid (mean of its members' vectors). */
export function placeTopics(previous: TopicsFile, rows: PaperRow[]): TopicsFile {
  const byId = new Map(rows.map((r) => [r.paper.id, r]));
  const kept = previous.topics.map((t) => ({ ...t, members: t.members.filter((m) => byId.has(m.id)) }));
  const member = new Set(kept.flatMap((t) => t.members.map((m) => m.id)));
  const centroids = kept.map((t) => {
    const c = new Float32Array(rows[0]!.vector.length);
    for (const m of t.members) byId.get(m.id)!.vector.forEach((v, i) => (c[i] += v));
    const norm = Math.hypot(...c) || 1;
    return c.map((v) => v / norm);
  });
  for (const row of rows) {
    if (member.has(row.paper.id)) continue;
    let best = 0;
    let bestScore = -Infinity;
    centroids.forEach((c, t) => {
      const s = kept[t]!.members.length ? dot(c, row.vector) : -Infinity;
      if (s > bestScore) [best, bestScore] = [t, s];
    });
    kept[best]!.members.push({ id: row.paper.id, score: round(bestScore) });
  }
  const topics: StoredTopic[] = kept.map((t) => ({
    ...t,
    size: t.members.length,
    members: t.members.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)),
  }));
  return { ...previous, topics };
}

/** The previous map without removed papers, each new paper at the weighted mean of its nearest placed neighbours. */
export function placeMap(previous: MapFile, rows: PaperRow[]): MapFile {
  const ids = new Set(rows.map((r) => r.paper.id));
  const points = previous.points.filter((p) => ids.has(p.id));
  const at = new Map(points.map((p) => [p.id, p]));
  const anchors = rows.filter((r) => at.has(r.paper.id));
  const fresh = rows.filter((r) => !at.has(r.paper.id));
  for (const row of fresh) {
    const nearest = anchors
      .map((a) => ({ p: at.get(a.paper.id)!, score: dot(a.vector, row.vector) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, MAP_NEIGHBOURS);
    points.push({ id: row.paper.id, ...weightedPosition(nearest.map(({ p, score }) => ({ x: p.x, y: p.y, score }))) });
  }
  const removed = previous.points.length - (points.length - fresh.length);
  return { points, placed: (previous.placed ?? 0) + fresh.length + removed };
}
