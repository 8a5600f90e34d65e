import { describe, expect, it } from 'vitest';
import { REFIT_SHARE, canPlace, placeMap, placeTopics, type PreviousLayout } from '../src/topics/place-new.ts';
import { buildTopics } from '../src/topics/topic-model.ts';
import { computeMap } from '../src/topics/topic-map.ts';
import { range, recordRow } from './helpers/record-rows.ts';

/** A fitted layout of papers r-0 … r-39, as a full build writes it. */
function fitted(): PreviousLayout {
  const rows = range(0, 40).map((n) => recordRow(n));
  const layout = computeMap(rows.map((r) => r.vector));
  return { topics: buildTopics(rows, { k: 4 }), map: { points: rows.map((r, i) => ({ id: r.paper.id, ...layout[i]! })) } };
}

describe('placing new papers into the previous build’s topics and map', () => {
  const previous = fitted();

  it('carries the layout over only while the papers placed or removed since the fit stay within the share', () => {
    const same = range(0, 40).map((n) => recordRow(n));
    expect(canPlace(previous, same)).toBe(true);
    expect(canPlace(undefined, same)).toBe(false);
    // 40 papers: 4 changes allowed (REFIT_SHARE 0.1).
    expect(REFIT_SHARE).toBe(0.1);
    expect(canPlace(previous, range(2, 42).map((n) => recordRow(n)))).toBe(true);
    expect(canPlace(previous, range(3, 43).map((n) => recordRow(n)))).toBe(false);
    expect(canPlace({ ...previous, map: { ...previous.map, placed: 3 } }, range(0, 41).map((n) => recordRow(n)))).toBe(true);
    expect(canPlace({ ...previous, map: { ...previous.map, placed: 4 } }, range(0, 41).map((n) => recordRow(n)))).toBe(false);
  });

  it('drops removed papers, keeps every other place and topic, and places the new ones', () => {
    // r-0 removed; r-40 new; and a twin of r-5 (its vector under another id).
    const twin = { paper: { ...recordRow(5).paper, id: 'twin-5' }, vector: recordRow(5).vector };
    const rows = [...[...range(1, 40), 40].map((n) => recordRow(n)), twin];
    const map = placeMap(previous.map, rows);
    const topics = placeTopics(previous.topics, rows);

    expect(map.placed).toBe(3);
    expect(placeMap(map, rows).placed).toBe(3);
    expect(map.points.map((p) => p.id).sort()).toEqual(rows.map((r) => r.paper.id).sort());
    for (const p of previous.map.points.filter((p) => p.id !== 'r-0')) expect(map.points.find((q) => q.id === p.id)).toEqual(p);
    for (const p of map.points) for (const v of [p.x, p.y]) expect(v >= 0 && v <= 1).toBe(true);

    const topicOf = (file: typeof topics, id: string) => file.topics.find((t) => t.members.some((m) => m.id === id))?.id;
    expect(topics.topics.map((t) => t.label)).toEqual(previous.topics.topics.map((t) => t.label));
    expect(topics.topics.reduce((n, t) => n + t.size, 0)).toBe(rows.length);
    expect(topicOf(topics, 'r-0')).toBeUndefined();
    for (const n of range(1, 40)) expect(topicOf(topics, `r-${n}`)).toBe(topicOf(previous.topics, `r-${n}`));
    for (const t of topics.topics) expect(t.members.map((m) => m.score)).toEqual([...t.members.map((m) => m.score)].sort((a, b) => b - a));

    // The twin joins r-5's topic (nearest centroid, as k-means assigned r-5) and lands among r-5's neighbours.
    expect(topicOf(topics, 'twin-5')).toBe(topicOf(previous.topics, 'r-5'));
    expect(topics.topics.flatMap((t) => t.members).find((m) => m.id === 'twin-5')!.score).toBe(
      topics.topics.flatMap((t) => t.members).find((m) => m.id === 'r-5')!.score,
    );
  });
});
