import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { verifyBuildFiles } from '../store/build-files.ts';
import { buildPath, currentBuildDir, publishBuild as publishLocal } from '../store/build-dir.ts';
import { MANIFEST_FILE, readManifest } from '../store/manifest.ts';
import { lockIndexDir, type WriterLock } from '../store/writer-lock.ts';
import type { CurrentHint } from './current-hint.ts';
import type { ObjectStore } from './object-store.ts';
import { buildKey, readRemoteCurrent } from './publish-build.ts';

/**
 * A replica's local copy of the store's CURRENT build. Serving from S3 is ~25×
 * slower than local disk, so each build is downloaded into INDEX_DIR/builds/<id>
 * (a hidden folder first), checked against its manifest's sizes and CRC-32, moved
 * into place and published locally (INDEX_DIR/CURRENT); the server follows local
 * CURRENT with the live-swap machinery as on one machine (follow-current.ts), so
 * in-flight requests finish on the build they started with. A rollback of the
 * store's CURRENT is followed the same way (an older build still on disk is not
 * downloaded again). Local builds are collected as the indexer does: the newest
 * `keepBuilds`, the one CURRENT names and any build a server process holds stay.
 * The replica holds INDEX_DIR's writer lock for its life, so no indexer writes there.
 */
export interface ReplicaOptions {
  store: ObjectStore;
  indexDir: string;
  /** How often the store's CURRENT is read (0: only on hints). */
  pollMs: number;
  keepBuilds: number;
  logger: Logger;
  /** Redis pub/sub hint that CURRENT moved (set with REDIS_URL). */
  hint?: CurrentHint;
  /** Told after local CURRENT moved (the server then swaps at once instead of at its next look). */
  onSynced?(buildDir: string): void | Promise<void>;
}

export interface Replica {
  /** Brings local CURRENT to the store's CURRENT; resolves with the local build folder (null: nothing published yet). */
  sync(): Promise<string | null>;
  close(): Promise<void>;
}

/** Files downloaded at once. */
const DOWNLOAD_CONCURRENCY = 4;
/** A build that failed to download or verify is tried again after this long, not at every poll. */
const RETRY_FAILED_MS = 30_000;

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Downloads `buildId` into `indexDir/builds/<buildId>` via a hidden folder; checks every file against the manifest first. */
export async function downloadBuild(store: ObjectStore, indexDir: string, buildId: string): Promise<string> {
  const target = buildPath(indexDir, buildId);
  if (await exists(path.join(target, MANIFEST_FILE))) return target;
  const partial = buildPath(indexDir, `.${buildId}.partial-${process.pid}`);
  await fs.rm(partial, { recursive: true, force: true });
  await fs.mkdir(partial, { recursive: true });
  try {
    await store.download(buildKey(buildId, MANIFEST_FILE), path.join(partial, MANIFEST_FILE));
    const manifest = await readManifest(partial);
    const files = Object.keys(manifest.files);
    for (let i = 0; i < files.length; i += DOWNLOAD_CONCURRENCY) {
      await Promise.all(
        files.slice(i, i + DOWNLOAD_CONCURRENCY).map(async (rel) => {
          await fs.mkdir(path.dirname(path.join(partial, rel)), { recursive: true });
          await store.download(buildKey(buildId, rel), path.join(partial, rel));
        }),
      );
    }
    await verifyBuildFiles(partial, manifest.files);
    await fs.rm(target, { recursive: true, force: true });
    await fs.rename(partial, target);
    return target;
  } catch (err) {
    await fs.rm(partial, { recursive: true, force: true });
    throw err;
  }
}

export async function startReplica(options: ReplicaOptions): Promise<Replica> {
  const { store, indexDir, logger } = options;
  const lock: WriterLock = await lockIndexDir(indexDir);
  let failed: { buildId: string; at: number } | null = null;
  let running: Promise<string | null> | null = null;
  let again = false;

  const once = async (): Promise<string | null> => {
    const remote = await readRemoteCurrent(store);
    const local = await currentBuildDir(indexDir);
    if (!remote) return local;
    if (local && path.basename(local) === remote.buildId) return local;
    if (failed?.buildId === remote.buildId && Date.now() - failed.at < RETRY_FAILED_MS) return local;
    const started = performance.now();
    let dir: string;
    try {
      dir = await downloadBuild(store, indexDir, remote.buildId);
    } catch (err) {
      failed = { buildId: remote.buildId, at: Date.now() };
      const e = err as Error & { code?: string };
      logger.error({ store: store.url, build: remote.buildId, code: e.code, err: e.message }, 'cannot download the published build; keeping the current one');
      return local;
    }
    failed = null;
    await publishLocal(indexDir, dir, options.keepBuilds);
    logger.info({ store: store.url, build: remote.buildId, ms: Math.round(performance.now() - started) }, 'replica copied the published build');
    await options.onSynced?.(dir);
    return dir;
  };
  // One sync at a time; a request meanwhile (a hint during a download) runs once more after it.
  const sync = (): Promise<string | null> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let dir: string | null;
      do {
        again = false;
        dir = await once();
      } while (again);
      return dir;
    })().finally(() => (running = null));
    return running;
  };
  const background = () =>
    void sync().catch((err) => logger.warn({ store: store.url, err: (err as Error).message }, 'cannot read the store; keeping the current build'));

  let poll: NodeJS.Timeout | null = null;
  try {
    // The first build is needed before serving: wait for a first publish. A store that cannot be read fails
    // the start, unless an earlier run left a copy: that is served meanwhile, and the poll catches up later.
    let first = await sync().catch(async (err) => {
      const kept = await currentBuildDir(indexDir);
      if (!kept) throw err;
      logger.warn({ store: store.url, err: (err as Error).message, build: path.basename(kept) }, 'cannot read the store; serving the copy already here');
      return kept;
    });
    if (!first) logger.info({ store: store.url }, 'nothing published yet; waiting for a first build');
    while (!first) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(500, options.pollMs)));
      first = await sync();
    }
    await options.hint?.subscribe(() => background());
    if (options.pollMs > 0) poll = setInterval(background, options.pollMs);
    poll?.unref();
  } catch (err) {
    await options.hint?.close();
    await lock.release();
    throw err;
  }
  return {
    sync,
    async close() {
      if (poll) clearInterval(poll);
      await options.hint?.close();
      await running?.catch(() => {});
      await lock.release();
    },
  };
}
