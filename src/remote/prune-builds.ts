import { MANIFEST_FILE } from '../store/manifest.ts';
import type { ObjectStore } from './object-store.ts';
import { buildKey, listRemoteBuilds, readRemoteCurrent } from './publish-build.ts';

/**
 * Removes published builds from the store but the newest `keep` (by their
 * manifest's `builtAt`) and, always, the one CURRENT names. Builds are never
 * deleted otherwise, and each is a whole collection's files (18.6 MiB for the
 * 2,000-paper sample), so a builder publishing every few seconds would fill
 * the store. Kept: the builds to roll back to (`npm run builds -- current ID`),
 * and a publisher's build still uploading (its manifest, the first object it
 * writes, is the newest). CURRENT is read again before each deletion, so a
 * build that a rollback has just made CURRENT is not removed. A replica that
 * was copying a removed build retries with what CURRENT names then.
 * Returns the ids removed, oldest first.
 */
export async function pruneRemoteBuilds(store: ObjectStore, keep: number): Promise<string[]> {
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`keep must be a whole number of builds, at least 1 (got ${keep})`);
  const ids = await listRemoteBuilds(store);
  if (ids.length <= keep) return [];
  const dated = await Promise.all(
    ids.map(async (id) => {
      const manifest = await store.get(buildKey(id, MANIFEST_FILE));
      // No manifest: the remains of an upload that failed and was not cleaned up; the oldest of all.
      const at = manifest ? Date.parse(JSON.parse(manifest.body.toString('utf8')).builtAt) : Number.NEGATIVE_INFINITY;
      return { id, at: Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at };
    }),
  );
  const oldFirst = dated.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1)).map((d) => d.id);
  const removed: string[] = [];
  for (const id of oldFirst.slice(0, oldFirst.length - keep)) {
    if ((await readRemoteCurrent(store))?.buildId === id) continue;
    await store.deletePrefix(buildKey(id));
    removed.push(id);
  }
  return removed;
}
