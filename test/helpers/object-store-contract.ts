import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { ObjectStore } from '../../src/remote/object-store.ts';
import { publishBuild, readRemoteCurrent, moveCurrent, listRemoteBuilds } from '../../src/remote/publish-build.ts';
import { pruneRemoteBuilds } from '../../src/remote/prune-builds.ts';
import { describeBuildFiles } from '../../src/store/build-files.ts';
import { FORMAT_VERSION, MANIFEST_FILE, writeManifest } from '../../src/store/manifest.ts';
import { tempDir } from './temp-dir.ts';

/**
 * A build folder with a valid format-8 manifest (sizes and CRC-32 of its
 * files) and a sub-folder, as the indexer leaves one; publishing only moves
 * files, so their content does not have to be a searchable index.
 */
export async function fakeBuild(root: string, id: string, content = id): Promise<string> {
  const dir = path.join(root, id);
  await fs.mkdir(path.join(dir, 'papers.lance'), { recursive: true });
  await fs.writeFile(path.join(dir, 'vectors.f32'), Buffer.alloc(4096, content.length));
  await fs.writeFile(path.join(dir, 'papers.lance', 'data.bin'), `rows of ${content}`);
  await writeManifest(dir, {
    formatVersion: FORMAT_VERSION,
    model: 'use-lite:16',
    dimension: 16,
    count: 2,
    ann: { space: 'cosine', m: 16, efConstruction: 200, efSearch: 64 },
    builtAt: new Date().toISOString(),
    timings: {},
    files: await describeBuildFiles(dir, [MANIFEST_FILE]),
  });
  return dir;
}

/**
 * What every ObjectStore implementation must do, run against a fresh store
 * each (the local one in `npm test`, S3 on radosgw in the cluster suite).
 */
export function objectStoreContract(open: () => Promise<ObjectStore>): void {
  it('gets what was put, null for a missing key, and lists and deletes under a prefix', async () => {
    const store = await open();
    expect(await store.get('a/missing')).toBeNull();
    const etag = await store.put('a/one', 'first');
    await store.put('a/two', Buffer.from('second'));
    await store.put('b/three', 'third');
    const got = await store.get('a/one');
    expect(got?.body.toString()).toBe('first');
    expect(got?.etag).toBe(etag);
    expect(await store.list('a/')).toEqual(['a/one', 'a/two']);
    expect(await store.list('')).toEqual(['a/one', 'a/two', 'b/three']);
    expect(await store.deletePrefix('a/')).toBe(2);
    expect(await store.list('')).toEqual(['b/three']);
    await expect(store.get('../escape')).rejects.toThrow(/invalid object key/);
  });

  it('creates only when absent, and swaps only from the ETag it read', async () => {
    const store = await open();
    const first = await store.putIfAbsent('CURRENT', 'one');
    expect(first).not.toBeNull();
    expect(await store.putIfAbsent('CURRENT', 'two')).toBeNull();
    const second = await store.compareAndSwap('CURRENT', 'two', first!);
    expect(second).not.toBeNull();
    // The ETag read before the swap is stale now: a second swap from it changes nothing.
    expect(await store.compareAndSwap('CURRENT', 'three', first!)).toBeNull();
    expect(await store.compareAndSwap('missing', 'x', first!)).toBeNull();
    expect((await store.get('CURRENT'))?.body.toString()).toBe('two');
  });

  it('streams files up and down unchanged', async () => {
    const store = await open();
    const dir = await tempDir();
    const big = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
    await fs.writeFile(path.join(dir, 'in.bin'), big);
    await store.upload('files/in.bin', path.join(dir, 'in.bin'));
    await store.download('files/in.bin', path.join(dir, 'out.bin'));
    expect((await fs.readFile(path.join(dir, 'out.bin'))).equals(big)).toBe(true);
    await expect(store.download('files/none', path.join(dir, 'none'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('two publishers race from the same CURRENT: exactly one wins, the other gets PUBLISH_CONFLICT and leaves nothing', async () => {
    const store = await open();
    const dir = await tempDir();
    const old = await publishBuild(store, await fakeBuild(dir, 'b0'));
    expect(old.previous).toBeNull();
    const base = await readRemoteCurrent(store);
    const outcomes = await Promise.allSettled([
      publishBuild(store, await fakeBuild(dir, 'b1'), { base }),
      publishBuild(store, await fakeBuild(dir, 'b2'), { base }),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof publishBuild>>>).value;
    expect(winner.previous).toBe('b0');
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'PUBLISH_CONFLICT' });
    expect((lost[0] as PromiseRejectedResult).reason.message).toContain(`to ${winner.buildId}`);
    expect((await readRemoteCurrent(store))?.buildId).toBe(winner.buildId);
    expect(await listRemoteBuilds(store)).toEqual(['b0', winner.buildId]);
    // Every file of the winner is there, and a stale base cannot move CURRENT back.
    expect(await store.list(`builds/${winner.buildId}/`)).toEqual(
      [`builds/${winner.buildId}/manifest.json`, `builds/${winner.buildId}/papers.lance/data.bin`, `builds/${winner.buildId}/vectors.f32`],
    );
    await expect(moveCurrent(store, 'b0', { base })).rejects.toMatchObject({ code: 'PUBLISH_CONFLICT' });
    expect((await moveCurrent(store, 'b0')).buildId).toBe('b0');
    expect((await readRemoteCurrent(store))?.buildId).toBe('b0');
    await expect(moveCurrent(store, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses to publish a damaged build or one whose id is taken', async () => {
    const store = await open();
    const dir = await tempDir();
    const build = await fakeBuild(dir, 'c1');
    await publishBuild(store, build);
    await expect(publishBuild(store, build)).rejects.toMatchObject({ code: 'PUBLISH_CONFLICT' });
    const damaged = await fakeBuild(dir, 'c2');
    await fs.appendFile(path.join(damaged, 'vectors.f32'), 'x');
    await expect(publishBuild(store, damaged)).rejects.toMatchObject({ code: 'INDEX_CORRUPT' });
    expect(await listRemoteBuilds(store)).toEqual(['c1']);
    expect((await readRemoteCurrent(store))?.buildId).toBe('c1');
  });

  it('prunes published builds to the newest N, never the one CURRENT names', async () => {
    const store = await open();
    const dir = await tempDir();
    for (const id of ['p0', 'p1', 'p2', 'p3']) await publishBuild(store, await fakeBuild(dir, id));
    expect(await pruneRemoteBuilds(store, 4)).toEqual([]);
    // A rollback to the oldest: it stays, beside the newest two.
    await moveCurrent(store, 'p0');
    expect(await pruneRemoteBuilds(store, 2)).toEqual(['p1']);
    expect(await listRemoteBuilds(store)).toEqual(['p0', 'p2', 'p3']);
    expect(await store.list('builds/p1/')).toEqual([]);
    expect((await readRemoteCurrent(store))?.buildId).toBe('p0');
    await expect(pruneRemoteBuilds(store, 0)).rejects.toThrow(/at least 1/);
  });
}
