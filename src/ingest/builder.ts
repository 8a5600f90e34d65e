/**
 * The builder: turns a pinned version of the store of record (the LanceDB
 * papers table the committers write) into a build — the same serving files the
 * indexer writes (indexer/write-build.ts: graph, BM25 postings, paper and
 * vector files, topics, map), from the table's rows and stored vectors,
 * nothing embedded again — and publishes it through a `BuildTarget`, which
 * moves CURRENT by compare-and-swap from what it read before building. Two
 * builders racing therefore publish once: the second swap finds CURRENT moved
 * and its build is dropped.
 *
 * Builds run one at a time as the single job of the `build` queue (fixed job
 * id: BullMQ queues nothing while it exists). Committers request one after
 * BUILD_AFTER_CHANGES changes; every builder requests one each
 * BUILD_INTERVAL_S while changes wait.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config.ts';
import { logger } from '../logger.ts';
import { PaperscopeError } from '../errors.ts';
import { LSA_ID } from '../embed/lsa.ts';
import { modelId } from '../embed/create-embedder.ts';
import { openRecordTable, recordTableLocation, type RecordTable } from '../store/record-table.ts';
import { s3ConfigFromEnv } from '../remote/s3.ts';
import { openObjectStore } from '../remote/open-store.ts';
import { redisCurrentHint } from '../remote/current-hint.ts';
import { writeBuild } from '../../indexer/write-build.ts';
import type { ObjectStore } from '../remote/object-store.ts';
import { buildKey, publishBuild, readRemoteCurrent, type CurrentAnnouncer, type RemoteCurrent } from '../remote/publish-build.ts';
import type { PreviousLayout } from '../topics/place-new.ts';
import { MAP_FILE, TOPICS_FILE, type MapFile, type TopicsFile } from '../topics/topic-files.ts';
import { pruneRemoteBuilds } from '../remote/prune-builds.ts';
import { runDaemon } from './daemon.ts';
import { BUILD_JOB_ID, BUILD_QUEUE, changesKey, redisConnection } from './bullmq-queue.ts';

/** Where builds are published: an object store through `objectStoreTarget`, or anything with the same two calls. */
export interface BuildTarget {
  /** CURRENT now (with the ETag a compare-and-swap needs); null before the first publish. */
  current(): Promise<RemoteCurrent | null>;
  /** Publishes the local build folder under its name and moves CURRENT from `base` to it; throws PUBLISH_CONFLICT when CURRENT moved since. */
  publish(buildDir: string, base: RemoteCurrent | null): Promise<unknown>;
  /** A published build's topics and map, for the next build to place new papers into; null when it has none. */
  layout?(buildId: string): Promise<PreviousLayout | null>;
}

/**
 * Publishing into an object store (src/remote/publish-build.ts); `announcer` tells replicas at once. With `keep`,
 * each publish is followed by pruning the store to the newest `keep` builds and CURRENT's (src/remote/prune-builds.ts);
 * a failed prune is logged, never fails the publish (the next one prunes again).
 */
export function objectStoreTarget(store: ObjectStore, announcer?: CurrentAnnouncer, keep?: number): BuildTarget {
  const json = async <T>(buildId: string, file: string): Promise<T | null> => {
    const obj = await store.get(buildKey(buildId, file));
    return obj ? (JSON.parse(obj.body.toString('utf8')) as T) : null;
  };
  return {
    current: () => readRemoteCurrent(store),
    async layout(buildId) {
      const [topics, map] = await Promise.all([json<TopicsFile>(buildId, TOPICS_FILE), json<MapFile>(buildId, MAP_FILE)]);
      return topics && map ? { topics, map } : null;
    },
    async publish(buildDir, base) {
      const published = await publishBuild(store, buildDir, { base, announcer });
      if (keep) {
        await pruneRemoteBuilds(store, keep).then(
          (removed) => removed.length && logger.info({ removed, keep }, 'build: old published builds removed'),
          (err) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'build: cannot remove old published builds; next time'),
        );
      }
      return published;
    },
  };
}

export type BuildOutcome =
  /** CURRENT names the new build. */
  | 'published'
  /** Another builder moved CURRENT first; this build was dropped. */
  | 'lost'
  /** CURRENT was already built from this table version. */
  | 'up-to-date'
  /** The table does not exist yet or holds no paper. */
  | 'empty';

export interface BuildResult {
  outcome: BuildOutcome;
  /** The table version built from. */
  version: number | null;
  buildId: string | null;
  papers: number;
  /** Reading the pinned version, building, and publishing. */
  seconds: { read: number; build: number; publish: number };
}

/** Build ids start with the table version they were built from, so a builder can tell when nothing changed. */
const versionOf = (buildId: string) => Number(/^v(\d+)-/.exec(buildId)?.[1] ?? Number.NaN);

export interface BuildOptions {
  /** The model id of the table's vectors (`modelId(MODEL)`), recorded in the manifest. */
  model: string;
  /** Where the build folder is written before it is published (removed after). */
  workDir: string;
  /** Called between reading the table and publishing, e.g. by a test that races two builders. */
  beforePublish?: () => Promise<void>;
}

const since = (t0: number) => Math.round(performance.now() - t0) / 1000;

/** Reads CURRENT, pins the table's latest version, builds from it and publishes by compare-and-swap. */
export async function buildOnce(table: RecordTable, target: BuildTarget, options: BuildOptions): Promise<BuildResult> {
  const base = await target.current();
  const version = await table.version();
  const result: BuildResult = { outcome: 'empty', version, buildId: null, papers: 0, seconds: { read: 0, build: 0, publish: 0 } };
  if (version === null) return result;
  if (base && versionOf(base.buildId) === version) return { ...result, outcome: 'up-to-date', buildId: base.buildId };

  let t0 = performance.now();
  // Sorted by id: the same table version gives the same graph labels, whoever builds it.
  const rows = (await table.rowsAt(version)).sort((a, b) => (a.paper.id < b.paper.id ? -1 : a.paper.id > b.paper.id ? 1 : 0));
  result.seconds.read = since(t0);
  result.papers = rows.length;
  if (rows.length === 0) return result;

  const buildId = `v${version}-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  await fs.mkdir(options.workDir, { recursive: true });
  const work = await fs.mkdtemp(path.join(options.workDir, 'build-'));
  const buildDir = path.join(work, buildId);
  await fs.mkdir(buildDir);
  try {
    t0 = performance.now();
    // The topics and map of the build CURRENT names: few new papers are placed into them rather than fitting both again.
    const previous = (base && (await target.layout?.(base.buildId))) || undefined;
    await writeBuild(buildDir, { rows, dimension: rows[0]!.vector.length, model: options.model, timings: {}, previous });
    result.seconds.build = since(t0);
    await options.beforePublish?.();
    t0 = performance.now();
    try {
      await target.publish(buildDir, base);
    } catch (err) {
      if (err instanceof PaperscopeError && err.code === 'PUBLISH_CONFLICT') return { ...result, outcome: 'lost', buildId };
      throw err;
    }
    result.seconds.publish = since(t0);
    return { ...result, outcome: 'published', buildId };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

export interface RunningBuilder {
  close(): Promise<void>;
}

/**
 * Serves the `build` queue (one build at a time) and requests a build every
 * BUILD_INTERVAL_S while committed changes wait. The changes counter is taken
 * (reset) when a build pins its version, and given back if the build fails or
 * loses the race, so no change ever goes without a build.
 */
export async function startBuilder(config: Config, table: RecordTable, target: BuildTarget, options: Partial<BuildOptions> = {}): Promise<RunningBuilder> {
  const { redisUrl, queuePrefix: prefix, build } = config.ingest;
  if (!redisUrl) throw new Error('the builder needs REDIS_URL (its queue)');
  if (config.model === LSA_ID) throw new Error('the cluster path needs a pretrained MODEL: lsa is fitted per build, which embedding workers cannot share');
  const buildOptions: BuildOptions = { model: modelId(config.model), workDir: path.join(os.tmpdir(), 'paperscope-builds'), ...options };
  const redis: Redis = redisConnection(redisUrl);
  const key = changesKey(prefix);
  const queue = new Queue(BUILD_QUEUE, { connection: redis, prefix });
  const request = () => queue.add('build', {}, { jobId: BUILD_JOB_ID, removeOnComplete: true, removeOnFail: true });

  /**
   * Changes committed while a build ran ask for the next one, built at once by this job (the one that would carry it):
   * past BUILD_AFTER_CHANGES, or when the build took at least BUILD_INTERVAL_S (builds still start at most one per
   * interval, and those changes do not wait for the next tick on top of a whole build).
   */
  const again = async (startedAt: number) => {
    const waiting = Number(await redis.get(key)) || 0;
    return waiting >= build.afterChanges || (waiting > 0 && Date.now() - startedAt >= build.intervalMs);
  };

  const runBuilds = async () => {
    const results: BuildResult[] = [];
    let startedAt: number;
    do {
      startedAt = Date.now();
      const taken = Number(await redis.getset(key, '0')) || 0;
      let result: BuildResult;
      try {
        result = await buildOnce(table, target, buildOptions);
      } catch (err) {
        await redis.incrby(key, taken);
        throw err;
      }
      if (result.outcome === 'lost') await redis.incrby(key, taken);
      logger.info({ ...result }, `build: ${result.outcome}`);
      results.push(result);
      if (result.outcome === 'lost') break;
    } while (await again(startedAt));
    return results;
  };

  const worker = new Worker(BUILD_QUEUE, runBuilds, {
    connection: redisConnection(redisUrl),
    prefix,
    concurrency: 1,
    // Building a large collection holds the event loop for seconds at a time (topics); a stall must not hand the job to another builder.
    lockDuration: 120_000,
  });
  worker.on('failed', (_job, err) => logger.error({ err: err.message }, 'build failed; the changes wait for the next one'));
  worker.on('error', (err) => logger.error({ err: err.message }, 'builder error'));
  await worker.waitUntilReady();

  const timer = setInterval(() => {
    redis
      .get(key)
      .then((n) => (Number(n) > 0 ? request() : undefined))
      .catch((err) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'build: cannot request a build'));
  }, build.intervalMs);
  logger.info({ afterChanges: build.afterChanges, intervalS: build.intervalMs / 1000 }, 'builder ready');

  return {
    async close() {
      clearInterval(timer);
      await worker.close();
      await queue.close();
      redis.disconnect();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runDaemon(
    'builder',
    async () => {
      const config = loadConfig();
      // INDEX_URL: where replicas follow the builds; by default INDEX_DIR, which has the same layout, for a server on this machine.
      const store = openObjectStore(process.env.INDEX_URL || config.indexDir);
      const table = await openRecordTable(recordTableLocation(config.ingest.tableUri, s3ConfigFromEnv()));
      // Replicas hear of each publish at once on Redis instead of at their next poll.
      const hint = redisCurrentHint(config.ingest.redisUrl ?? '', config.ingest.queuePrefix, store);
      const builder = await startBuilder(config, table, objectStoreTarget(store, hint, config.ingest.build.keepPublished));
      logger.info({ to: store.url }, 'builder publishing');
      return {
        async close() {
          await builder.close();
          await hint.close();
          table.close();
          store.close();
        },
      };
    },
    'finishing its build',
  );
}
