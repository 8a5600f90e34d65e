import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { currentBuildDir } from '../src/store/build-dir.ts';
import { readManifest } from '../src/store/manifest.ts';
import { readPapersTable } from '../src/store/papers-table.ts';
import { buildTopics } from '../src/topics/topic-model.ts';
import { topicsStep } from '../src/topics/topics-step.ts';
import { idByTitle, startTestServer } from './helpers/server.ts';
import { seedIndex } from './helpers/fixture-index.ts';

// The 41 Hugging Face seed papers: small enough to index for the tests, varied enough to hold topics.
const POINT_CLOUD = ['ULIP-2:', 'ULIP:', 'HyMamba:', 'RISurConv:', 'Surface Representation for Point Clouds'];
const NAS = ['BigNAS:', 'Accelerating Neural Architecture Search', 'One-Shot Neural Ensemble Architecture Search'];

let server: RunningServer;
let buildDir: string;
const getJson = async (p: string) => {
  const res = await fetch(server.url + p);
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
};
const idOf = (title: string) => idByTitle(server, title);

/** Topic of every paper, read through the paged topic endpoint. */
async function membership(): Promise<Map<string, number>> {
  const { body } = await getJson('/api/topics');
  const topicOf = new Map<string, number>();
  for (const t of body.topics) {
    const page = await getJson(`/api/topics/${t.id}?k=100`);
    for (const p of page.body.papers) topicOf.set(p.id, t.id);
  }
  return topicOf;
}

// Set up as the file loads, not in a beforeAll: no hook time-out applies, so a busy machine makes the start slower, not a failure.
buildDir = (await currentBuildDir(await seedIndex()))!;
server = await startTestServer(await seedIndex());

describe('topics computed at index time', () => {
  it('puts the point-cloud papers in one topic and the neural-architecture-search papers in another', async () => {
    const topicOf = await membership();
    expect(topicOf.size).toBe(41);
    const pc = new Set(POINT_CLOUD.map((t) => topicOf.get(idOf(t))));
    const nas = new Set(NAS.map((t) => topicOf.get(idOf(t))));
    expect(pc.size).toBe(1);
    expect(nas.size).toBe(1);
    expect([...pc][0]).not.toBe([...nas][0]);
  });

  it('labels the point-cloud topic with its distinctive terms', async () => {
    const { body } = await getJson('/api/topics');
    const topicOf = await membership();
    const topic = body.topics.find((t: any) => t.id === topicOf.get(idOf('HyMamba:')));
    expect(topic.label.toLowerCase()).toContain('point cloud');
    expect(topic.terms.length).toBeGreaterThan(3);
  });

  it('records the step timings in the manifest', async () => {
    const manifest = await readManifest(buildDir);
    expect(manifest.timings.topics).toBeGreaterThan(0);
    expect(manifest.timings.map).toBeGreaterThan(0);
  });

  it('honours a fixed number of topics (--topics K) and rejects a bad one', async () => {
    const rows = await readPapersTable(buildDir);
    const fixed = buildTopics(rows, { k: 5 });
    expect(fixed.chosenBy).toBe('option');
    expect(fixed.topics.length).toBeLessThanOrEqual(5);
    expect(fixed.topics.length).toBeGreaterThanOrEqual(3);
    expect(fixed.topics.reduce((n, t) => n + t.size, 0)).toBe(41);
    await expect(topicsStep.run({ buildDir, rows, dimension: 512, options: { topics: Number.NaN } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('GET /api/topics', () => {
  it('lists every topic with its label, terms, size and papers nearest its centre', async () => {
    const { status, body } = await getJson('/api/topics');
    expect(status).toBe(200);
    expect(body.topics.length).toBeGreaterThanOrEqual(2);
    expect(body.topics.reduce((n: number, t: any) => n + t.size, 0)).toBe(41);
    body.topics.forEach((t: any, i: number) => {
      expect(Object.keys(t).sort()).toEqual(['colour', 'id', 'label', 'papers', 'size', 'terms']);
      expect(t.id).toBe(i);
      expect(t.label.length).toBeGreaterThan(2);
      expect(t.papers.length).toBe(Math.min(5, t.size));
      for (const p of t.papers) expect(p).toEqual({ id: expect.any(String), title: expect.any(String) });
      if (i > 0) expect(t.size).toBeLessThanOrEqual(body.topics[i - 1].size);
    });
    expect(new Set(body.topics.map((t: any) => t.colour)).size).toBe(body.topics.length);
    // The representatives are the first papers of the topic's own ranking.
    const first = body.topics[0];
    const page = await getJson(`/api/topics/${first.id}?k=5`);
    expect(page.body.papers.map((p: any) => p.id)).toEqual(first.papers.map((p: any) => p.id));
  });

  it('groups the results of a query into labelled sub-topics', async () => {
    const q = encodeURIComponent('what are the approaches to 3D point cloud understanding');
    const { status, body } = await getJson(`/api/topics?q=${q}&n=20`);
    expect(status).toBe(200);
    expect(body.interpretation.about).toContain('point cloud');
    expect(body.topics.length).toBeGreaterThanOrEqual(2);
    const ids = body.topics.flatMap((t: any) => t.papers.map((p: any) => p.id));
    // Only the papers that match the query are grouped (a small index holds fewer than 20).
    const { body: matches } = await getJson(`/api/search?q=${q}&k=20`);
    expect(ids.sort()).toEqual(matches.results.map((r: any) => r.id).sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of body.topics) {
      expect(t.size).toBe(t.papers.length);
      // Every group shares the query's words, so they do not name a group.
      expect(t.label.toLowerCase()).not.toMatch(/^(3d|point|cloud|point clouds?)$/);
    }
    const pcGroups = new Set(POINT_CLOUD.map((title) => body.topics.find((t: any) => t.papers.some((p: any) => p.id === idOf(title)))?.id));
    expect(pcGroups.has(undefined)).toBe(false);
  });

  it('rejects an empty query', async () => {
    const { status, body } = await getJson('/api/topics?q=%20');
    expect(status).toBe(400);
    expect(body.error.code).toBe('INVALID_INPUT');
  });
});

describe('GET /api/topics/:id', () => {
  it("pages through a topic's papers, nearest the centre first", async () => {
    const all = await getJson('/api/topics/0?k=100');
    expect(all.status).toBe(200);
    expect(all.body.topic).toMatchObject({ id: 0, label: expect.any(String), size: all.body.papers.length });
    // The same result fields and 0–1 score as search; the order is the topic's own (nearest its centre first).
    for (const p of all.body.papers) {
      expect(Object.keys(p).sort()).toEqual(['authors', 'date', 'id', 'match', 'score', 'snippet', 'title', 'url', 'year']);
      expect(p.score).toBeGreaterThanOrEqual(0);
      expect(p.score).toBeLessThanOrEqual(1);
    }
    const page = await getJson('/api/topics/0?k=3&offset=2');
    expect(page.body.papers).toEqual(all.body.papers.slice(2, 5));
  });

  it('answers 404 for an unknown topic and 400 for a malformed id', async () => {
    const missing = await getJson('/api/topics/999');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('TOPIC_NOT_FOUND');
    const bad = await getJson('/api/topics/abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_INPUT');
  });
});

describe('group=topics on /api/search', () => {
  it('adds groups that partition the page of results', async () => {
    const { body } = await getJson('/api/search?q=point%20clouds&k=12&group=topics');
    const pageIds = body.results.map((r: any) => r.id).sort();
    expect(body.groups.length).toBeGreaterThanOrEqual(1);
    expect(body.groups.flatMap((g: any) => g.ids).sort()).toEqual(pageIds);
    for (const g of body.groups) expect(g.label.length).toBeGreaterThan(0);
    const plain = await getJson('/api/search?q=point%20clouds&k=12');
    expect(plain.body.groups).toBeUndefined();
  });
});

describe('GET /api/map', () => {
  it('gives every paper a point in the unit square with its topic and title', async () => {
    const { status, body } = await getJson('/api/map');
    expect(status).toBe(200);
    expect(body.points).toHaveLength(41);
    const topicOf = await membership();
    for (const p of body.points) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(1);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(1);
      expect(p.topic).toBe(topicOf.get(p.id));
      expect(p.title).toBe(server.index.papers.title(server.index.labelOf.get(p.id)!));
    }
    expect(body.topics.map((t: any) => t.id)).toEqual((await getJson('/api/topics')).body.topics.map((t: any) => t.id));
  });
});
