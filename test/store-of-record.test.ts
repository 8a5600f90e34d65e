import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRecordTable, type RecordTable } from '../src/store/record-table.ts';
import { loadIndex } from '../src/store/load-index.ts';
import { localObjectStore } from '../src/remote/local-store.ts';
import { readRemoteCurrent } from '../src/remote/publish-build.ts';
import { buildOnce, objectStoreTarget } from '../src/ingest/builder.ts';
import { tempDir } from './helpers/temp-dir.ts';
import type { MapFile } from '../src/topics/topic-files.ts';
import { RECORD_DIM, range, recordRow } from './helpers/record-rows.ts';
import { raceBuilders } from './helpers/build-race.ts';

let table: RecordTable;
afterAll(() => table?.close());

describe('the store of record (a long-lived LanceDB table)', () => {
  it('upserts by id, deletes, and keeps older versions readable', async () => {
    table = await openRecordTable({ uri: path.join(await tempDir(), 'table') });
    expect(await table.version()).toBeNull();
    await table.apply(range(0, 30).map((n) => recordRow(n)), []);
    const first = (await table.version())!;

    // Ten ids again with new content, five deleted, five new.
    await table.apply([...range(20, 30).map((n) => recordRow(n, 1)), ...range(30, 35).map((n) => recordRow(n))], range(0, 5).map((n) => `r-${n}`));
    const now = await table.rowsAt((await table.version())!);
    const ids = now.map((r) => r.paper.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(range(5, 35).map((n) => `r-${n}`).sort());
    expect(now.find((r) => r.paper.id === 'r-25')!.paper.title).toMatch(/^Revised: /);
    expect(Array.from(now.find((r) => r.paper.id === 'r-25')!.vector)).toEqual(Array.from(recordRow(25, 1).vector));

    const old = await table.rowsAt(first);
    expect(old).toHaveLength(30);
    expect(old.find((r) => r.paper.id === 'r-25')!.paper.title).not.toMatch(/^Revised/);

    await table.optimize(3600_000);
    expect(await table.count()).toBe(30);
  });

  it('the builder builds a pinned version into a build that loads, and rebuilds nothing when nothing changed', async () => {
    const root = await tempDir();
    const store = localObjectStore(root);
    const target = objectStoreTarget(store);
    const options = { model: 'test-vectors', workDir: await tempDir() };
    const version = (await table.version())!;

    const built = await buildOnce(table, target, options);
    expect(built).toMatchObject({ outcome: 'published', version, papers: 30 });
    expect((await readRemoteCurrent(store))!.buildId).toBe(built.buildId);
    expect(built.buildId).toMatch(new RegExp(`^v${version}-`));
    // The object store's layout is an INDEX_DIR's: the server loads it as it is.
    const index = await loadIndex(root);
    expect(index.manifest).toMatchObject({ count: 30, model: 'test-vectors', dimension: RECORD_DIM });
    expect(index.labelOf.get('r-25')).toBeDefined();
    expect(index.labelOf.get('r-0')).toBeUndefined();
    index.close();

    expect((await buildOnce(table, target, options)).outcome).toBe('up-to-date');
  });

  it('two builders racing from the same CURRENT: exactly one publishes', async () => {
    const root = await tempDir();
    const store = localObjectStore(root);
    const target = objectStoreTarget(store);
    await table.apply([recordRow(40)], []);
    const results = await raceBuilders([{ table, target }, { table, target }]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['lost', 'published']);
    const winner = results.find((r) => r.outcome === 'published')!;
    expect((await readRemoteCurrent(store))!.buildId).toBe(winner.buildId);
    // The loser's upload is removed: one build in the store.
    expect((await store.list('builds/')).every((k) => k.startsWith(`builds/${winner.buildId}/`))).toBe(true);
  });

  it('a build after few changes places the new papers into the previous topics and map; one after many fits them again', async () => {
    const root = await tempDir();
    const store = localObjectStore(root);
    const target = objectStoreTarget(store);
    const options = { model: 'test-vectors', workDir: await tempDir() };
    const map = async (buildId: string) => JSON.parse(await fs.readFile(path.join(root, 'builds', buildId, 'map.json'), 'utf8')) as MapFile;
    const first = (await buildOnce(table, target, options)).buildId!;
    const fitted = await map(first);
    expect(fitted.placed).toBeUndefined();

    await table.apply([recordRow(41)], ['r-5']);
    const second = await buildOnce(table, target, options);
    expect(second.outcome).toBe('published');
    const placed = await map(second.buildId!);
    expect(placed.placed).toBe(2);
    for (const p of fitted.points.filter((p) => p.id !== 'r-5')) expect(placed.points).toContainEqual(p);
    const index = await loadIndex(root);
    expect(index.topics!.topicOf.has('r-41')).toBe(true);
    expect(index.topics!.topicOf.has('r-5')).toBe(false);
    index.close();

    await table.apply(range(50, 60).map((n) => recordRow(n)), []);
    const third = await buildOnce(table, target, options);
    expect((await map(third.buildId!)).placed).toBeUndefined();
  });
});
