import fs from 'node:fs/promises';
import path from 'node:path';
import { PaperscopeError } from '../errors.ts';
import { verifyBuildFiles } from '../store/build-files.ts';
import { MANIFEST_FILE, readManifest } from '../store/manifest.ts';
import type { ObjectStore } from './object-store.ts';

/**
 * Layout of a collection in object storage (the same as a local INDEX_DIR):
 *   builds/<buildId>/   one complete build: manifest.json (each file's size and CRC-32) and its files
 *   CURRENT             the id of the build replicas serve, one line
 * A publisher uploads its build folder, then moves CURRENT by compare-and-swap,
 * so two publishers can never overwrite each other: exactly one wins and the
 * other gets PUBLISH_CONFLICT. Replicas (src/remote/replica.ts) follow CURRENT.
 */
export const CURRENT_KEY = 'CURRENT';
export const BUILDS_PREFIX = 'builds/';

/** Where a build's files live in the store. */
export function buildKey(buildId: string, file = ''): string {
  return `${BUILDS_PREFIX}${buildId}/${file}`;
}

/** What CURRENT says, with the ETag a compare-and-swap needs. */
export interface RemoteCurrent {
  buildId: string;
  etag: string;
}

/** CURRENT as it is now; null when nothing was ever published. */
export async function readRemoteCurrent(store: ObjectStore): Promise<RemoteCurrent | null> {
  const obj = await store.get(CURRENT_KEY);
  return obj ? { buildId: obj.body.toString('utf8').trim(), etag: obj.etag } : null;
}

/** Told after CURRENT moved, so that replicas look at once instead of at their next poll (src/remote/current-hint.ts). */
export interface CurrentAnnouncer {
  announce(buildId: string): Promise<void>;
}

export interface PublishOptions {
  /**
   * CURRENT as the publisher saw it before it started building (`readRemoteCurrent`;
   * null: nothing was published yet). The publish fails with PUBLISH_CONFLICT if
   * CURRENT has moved since, so a build made from an older state never replaces a
   * newer one. Omitted: CURRENT is read just before the swap (only publishers
   * racing for the same swap are told apart).
   */
  base?: RemoteCurrent | null;
  /** The build's id in the store; default: the local folder's name. */
  buildId?: string;
  /** Told the new build id once CURRENT names it; its failure is reported in the result, not thrown (replicas still poll). */
  announcer?: CurrentAnnouncer;
}

export interface PublishedBuild {
  buildId: string;
  /** CURRENT's ETag after the swap (the base of the next publish). */
  etag: string;
  /** The build CURRENT named before, null for the first publish. */
  previous: string | null;
  files: number;
  bytes: number;
  seconds: number;
  /** Whether the announcer was told (true when there is none to tell). */
  announced: boolean;
}

/** Uploads at once; a build is a few dozen files, some large. */
const UPLOAD_CONCURRENCY = 4;

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/** Moves CURRENT from `base` to `buildId` by compare-and-swap (create-if-absent when `base` is null); null when it moved meanwhile. */
async function swapCurrent(store: ObjectStore, buildId: string, base: RemoteCurrent | null): Promise<string | null> {
  const body = `${buildId}\n`;
  return base ? store.compareAndSwap(CURRENT_KEY, body, base.etag) : store.putIfAbsent(CURRENT_KEY, body);
}

function conflict(store: ObjectStore, buildId: string, base: RemoteCurrent | null, now: RemoteCurrent | null): PaperscopeError {
  return new PaperscopeError(
    'PUBLISH_CONFLICT',
    `${store.url}/CURRENT moved from ${base?.buildId ?? '(nothing)'} to ${now?.buildId ?? '(nothing)'} while build ${buildId} was being published; ` +
      `another publisher won, so ${buildId} was not published (build again from the new state)`,
    { store: store.url, buildId, expected: base?.buildId ?? null, current: now?.buildId ?? null },
  );
}

/**
 * Publishes a finished local build folder (format 8) to `store`: checks every
 * file against the manifest, claims `builds/<buildId>/` by creating its
 * manifest there if absent (two publishers of the same id: the second gets
 * PUBLISH_CONFLICT before uploading anything), uploads the other files, then
 * moves CURRENT by compare-and-swap from `options.base`. The loser of a race
 * gets PUBLISH_CONFLICT naming the winner, and its uploaded folder is removed.
 * A publisher killed midway leaves CURRENT on the previous, complete build.
 *
 * This is the builder's one call: `await publishBuild(store, buildDir, { base })`
 * with `store = openObjectStore(url)` (src/remote/open-store.ts).
 */
export async function publishBuild(store: ObjectStore, localBuildDir: string, options: PublishOptions = {}): Promise<PublishedBuild> {
  const started = performance.now();
  const buildId = options.buildId ?? path.basename(localBuildDir);
  const manifest = await readManifest(localBuildDir);
  await verifyBuildFiles(localBuildDir, manifest.files);
  const base = options.base !== undefined ? options.base : await readRemoteCurrent(store);

  if ((await store.putIfAbsent(buildKey(buildId, MANIFEST_FILE), await fs.readFile(path.join(localBuildDir, MANIFEST_FILE)))) === null) {
    throw new PaperscopeError('PUBLISH_CONFLICT', `${store.url}/${buildKey(buildId)} already exists: another publisher has this build id`, {
      store: store.url,
      buildId,
    });
  }
  const files = Object.keys(manifest.files);
  try {
    await inBatches(files, UPLOAD_CONCURRENCY, (rel) => store.upload(buildKey(buildId, rel), path.join(localBuildDir, rel)));
  } catch (err) {
    await store.deletePrefix(buildKey(buildId)).catch(() => {});
    throw err;
  }

  const etag = await swapCurrent(store, buildId, base);
  if (etag === null) {
    const now = await readRemoteCurrent(store);
    await store.deletePrefix(buildKey(buildId));
    throw conflict(store, buildId, base, now);
  }
  const announced = options.announcer
    ? await options.announcer.announce(buildId).then(
        () => true,
        () => false,
      )
    : true;
  return {
    buildId,
    etag,
    previous: base?.buildId ?? null,
    files: files.length + 1,
    bytes: Object.values(manifest.files).reduce((sum, f) => sum + f.bytes, 0),
    seconds: (performance.now() - started) / 1000,
    announced,
  };
}

/**
 * Points CURRENT at a build already in the store (a rollback, or a roll
 * forward again), by compare-and-swap from `base` (default: CURRENT as read
 * now). Replicas follow it like any publish.
 */
export async function moveCurrent(store: ObjectStore, buildId: string, options: Pick<PublishOptions, 'base' | 'announcer'> = {}): Promise<RemoteCurrent> {
  if (!(await store.get(buildKey(buildId, MANIFEST_FILE)))) {
    throw new PaperscopeError('NOT_FOUND', `${store.url}/${buildKey(buildId)} holds no published build`, { store: store.url, buildId });
  }
  const base = options.base !== undefined ? options.base : await readRemoteCurrent(store);
  const etag = await swapCurrent(store, buildId, base);
  if (etag === null) throw conflict(store, buildId, base, await readRemoteCurrent(store));
  await options.announcer?.announce(buildId).catch(() => {});
  return { buildId, etag };
}

/** Build ids in the store, sorted by name. */
export async function listRemoteBuilds(store: ObjectStore): Promise<string[]> {
  const ids = new Set((await store.list(BUILDS_PREFIX)).map((k) => k.slice(BUILDS_PREFIX.length).split('/')[0]!));
  return [...ids].sort();
}
