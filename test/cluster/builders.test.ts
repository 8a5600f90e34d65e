import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PaperscopeError } from '../../src/errors.ts';
import { objectStoreTarget, type BuildResult, type BuildTarget } from '../../src/ingest/builder.ts';
import { listRemoteBuilds, readRemoteCurrent } from '../../src/remote/publish-build.ts';
import { downloadBuild } from '../../src/remote/replica.ts';
import { lancedbStorageOptions, s3Uri } from '../../src/remote/s3.ts';
import { s3ObjectStore } from '../../src/remote/s3-store.ts';
import type { ObjectStore } from '../../src/remote/object-store.ts';
import { loadBuild } from '../../src/store/load-index.ts';
import { openRecordTable, type RecordTable } from '../../src/store/record-table.ts';
import { raceBuilders } from '../helpers/build-race.ts';
import { range, recordRow } from '../helpers/record-rows.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * Two builders, each with its own connection to the store of record (LanceDB
 * on s3://) and to the object store (radosgw), build the same table version
 * and publish at once: radosgw's conditional writes let exactly one move
 * CURRENT, the other is told PUBLISH_CONFLICT and removes its upload, and
 * CURRENT names a complete build. Raced twice: for the first CURRENT (a create,
 * `If-None-Match: *`) and for a later one (a swap, `If-Match`).
 */
const { s3 } = inject('cluster');
const prefix = `builders-${randomUUID().slice(0, 8)}`;
const location = { uri: s3Uri(s3, `${prefix}/table`), storageOptions: lancedbStorageOptions(s3) };

interface Builder {
  table: RecordTable;
  store: ObjectStore;
  target: BuildTarget;
  /** What its publish threw, if it did. */
  errors: unknown[];
}

let writer: RecordTable;
const builders: Builder[] = [];

beforeAll(async () => {
  writer = await openRecordTable(location);
  for (let i = 0; i < 2; i++) {
    const store = s3ObjectStore(s3, `${prefix}/index`);
    const inner = objectStoreTarget(store);
    const errors: unknown[] = [];
    const target: BuildTarget = {
      current: inner.current,
      publish: (dir, base) => inner.publish(dir, base).catch((err) => {
        errors.push(err);
        throw err;
      }),
    };
    builders.push({ table: await openRecordTable(location), store, target, errors });
  }
});

afterAll(() => {
  writer?.close();
  for (const b of builders) {
    b.table.close();
    b.store.close();
  }
});

/** Races the two builders; checks one winner, one PUBLISH_CONFLICT, and a complete build under CURRENT with `papers` rows. */
async function race(papers: number): Promise<string> {
  for (const b of builders) b.errors.length = 0;
  const results: BuildResult[] = await raceBuilders(builders);
  const version = await writer.version();
  expect(results.map((r) => r.version)).toEqual([version, version]);
  expect(results.map((r) => r.outcome).sort()).toEqual(['lost', 'published']);
  const winner = results.find((r) => r.outcome === 'published')!.buildId!;
  const loser = results.findIndex((r) => r.outcome === 'lost');
  expect(builders[1 - loser]!.errors).toEqual([]);
  expect(builders[loser]!.errors).toHaveLength(1);
  const conflict = builders[loser]!.errors[0] as PaperscopeError;
  expect(conflict).toBeInstanceOf(PaperscopeError);
  expect(conflict.code).toBe('PUBLISH_CONFLICT');
  expect(conflict.message).toContain(`to ${winner}`);

  const store = builders[0]!.store;
  expect((await readRemoteCurrent(store))!.buildId).toBe(winner);
  expect(await listRemoteBuilds(store)).not.toContain(results[loser]!.buildId);
  // Complete: every file downloads and matches the manifest's size and CRC-32, and the build loads.
  const local = await downloadBuild(store, await tempDir(), winner);
  const index = await loadBuild(local);
  try {
    expect(index.manifest.count).toBe(papers);
  } finally {
    index.close();
  }
  return winner;
}

describe('two builders racing on radosgw', () => {
  it('for the first CURRENT and for the next one: exactly one publishes, the other gets PUBLISH_CONFLICT, CURRENT names a complete build', async () => {
    await writer.apply(range(0, 30).map((n) => recordRow(n)), []);
    const first = await race(30);

    await writer.apply([...range(25, 30).map((n) => recordRow(n, 1)), ...range(30, 40).map((n) => recordRow(n))], ['r-0', 'r-1']);
    const second = await race(38);
    expect(await listRemoteBuilds(builders[0]!.store)).toEqual([first, second].sort());
  }, 300_000);
});
