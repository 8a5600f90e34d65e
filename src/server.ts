import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import type { Config } from './config.ts';
import { loadConfig } from './config.ts';
import { logger } from './logger.ts';
import { createApp } from './api/app.ts';
import { modelId } from './embed/create-embedder.ts';
import type { AppDeps } from './api/deps.ts';
import { startConfiguredQueryEngine, type QueryEngine } from './search/query-engine.ts';
import { loadBuild, requireBuildDir, type SearchIndex } from './store/load-index.ts';
import { createLiveIndex, type LiveIndex } from './store/live-index.ts';
import { followCurrent } from './store/follow-current.ts';
import { removeLease, writeLease } from './store/leases.ts';
import { assertSameModel, readManifest } from './store/manifest.ts';
import { DEFAULT_FUSION, DEFAULT_SIMILAR_FUSION } from './search/fuse.ts';
import type { SearchContext } from './search/context.ts';
import { PaperscopeError } from './errors.ts';
import { openIngest } from './ingest/open-ingest.ts';
import { createGroupPool } from './topics/group-pool.ts';
import { serverOptions } from './api/limits.ts';
import { drainable } from './shutdown.ts';
import type { Replica } from './remote/replica.ts';

export interface RunningServer {
  url: string;
  /** The index new requests are answered from (it changes when a new build is published). */
  readonly index: SearchIndex;
  live: LiveIndex;
  /** Reads CURRENT now and swaps to the build it names (what SIGHUP does). */
  reload(): Promise<void>;
  /** Graceful: in-flight requests get `graceMs` (SHUTDOWN_GRACE_MS by default) to finish. */
  close(graceMs?: number): Promise<{ drained: boolean; cut: number }>;
}

/** What a caller may hand the server besides its configuration. */
export interface ServerExtras extends Pick<AppDeps, 'indexing'> {
  /**
   * A query engine the caller started for `config.model` and owns: the server opens its builds on it and releases
   * them when it closes, but neither starts nor closes the engine. Several servers in one process then share one
   * set of query threads, and one copy of the model in each (the test suite does this: a thread's model costs ~3 CPU-s to load).
   */
  queryEngine?: QueryEngine;
}

/**
 * Loads the index and the query model side by side, checks they agree, and
 * serves the API; then follows INDEX_DIR/CURRENT, swapping each newly
 * published build in without a restart.
 */
export async function startServer(config: Config, extra: ServerExtras = {}): Promise<RunningServer> {
  // A replica copies builds into INDEX_DIR; once serving, each copy is swapped in at once (reload) rather than at the next look.
  let swapNow: (() => Promise<void>) | null = null;
  const replica = config.indexUrl ? await startStoreReplica(config, () => swapNow?.()) : null;
  try {
    const server = await serveIndexDir(config, replica, extra);
    swapNow = server.reload;
    return server;
  } catch (err) {
    await replica?.close();
    throw err;
  }
}

/** With INDEX_URL: copies the store's CURRENT build into INDEX_DIR (waiting for a first publish) and keeps following it. */
async function startStoreReplica(config: Config, onSynced: () => void | Promise<void>): Promise<Replica> {
  // The local journal applies writes by rebuilding INDEX_DIR, which a replica only copies into: its writes go through Redis.
  if (!config.ingest.redisUrl && (config.ingest.apiKeys.length > 0 || config.ingest.apiKeysFile)) {
    throw new PaperscopeError(
      'INVALID_INPUT',
      'A replica (INDEX_URL) accepts writes only through the cluster queue: set REDIS_URL, or unset API_KEYS / API_KEYS_FILE to serve reads only',
      { field: 'REDIS_URL' },
    );
  }
  // Imported here, not at the top: the S3 SDK and the Redis client cost a start that serves a local folder ~0.6 CPU-s.
  const [{ openObjectStore }, { redisCurrentHint }, { startReplica }] = await Promise.all([
    import('./remote/open-store.ts'),
    import('./remote/current-hint.ts'),
    import('./remote/replica.ts'),
  ]);
  const store = openObjectStore(config.indexUrl!);
  const hint = config.ingest.redisUrl ? redisCurrentHint(config.ingest.redisUrl, config.ingest.queuePrefix, store) : undefined;
  try {
    const replica = await startReplica({ store, indexDir: config.indexDir, pollMs: config.indexPollMs, keepBuilds: config.keepBuilds, logger, hint, onSynced });
    logger.info({ store: store.url, indexDir: config.indexDir, hint: Boolean(hint) }, 'replica following the published builds');
    return {
      sync: replica.sync,
      async close() {
        await replica.close();
        store.close();
      },
    };
  } catch (err) {
    store.close();
    throw err;
  }
}

async function serveIndexDir(config: Config, replica: Replica | null, { queryEngine, ...extra }: ServerExtras): Promise<RunningServer> {
  const buildDir = await requireBuildDir(config.indexDir);
  assertSameModel(await readManifest(buildDir), modelId(config.model));
  const engineStart = queryEngine ? Promise.resolve(queryEngine) : startConfiguredQueryEngine(config, buildDir);
  // The caller's engine stays open for its other users.
  const closeEngine = (engine: QueryEngine) => (queryEngine ? Promise.resolve() : engine.close());
  const [loaded, started] = await Promise.allSettled([loadBuild(buildDir), engineStart]);
  if (loaded.status === 'rejected' || started.status === 'rejected') {
    if (started.status === 'fulfilled') await closeEngine(started.value);
    if (loaded.status === 'fulfilled') loaded.value.close();
    throw loaded.status === 'rejected' ? loaded.reason : (started as PromiseRejectedResult).reason;
  }
  const engine = started.value;
  // Query-time clustering threads, shared by every build's context.
  const grouper = await createGroupPool(config.edge.topicWorkers, config.queryThreadNice);
  const contextOf = async (index: SearchIndex): Promise<SearchContext> => {
    try {
      // With USE-lite, this loads the build on the query threads too: its searches run there.
      const { embedQuery, searcher } = await engine.forBuild(index, DEFAULT_FUSION);
      return { index, embedQuery, searcher, fusion: DEFAULT_FUSION, similarFusion: DEFAULT_SIMILAR_FUSION, grouper };
    } catch (err) {
      index.close();
      throw err;
    }
  };
  let first: SearchContext;
  try {
    first = await contextOf(loaded.value);
  } catch (err) {
    await Promise.all([closeEngine(engine), grouper.close()]);
    throw err;
  }

  const ingest = await openIngest(config, logger);
  const live = createLiveIndex(buildDir, first, {
    load: async (dir) => contextOf(await loadBuild(dir)),
    onHeldChange: (held) => writeLease(config.indexDir, held).catch((err) => logger.warn({ err: err.message }, 'cannot write the server lease')),
  });
  await writeLease(config.indexDir, live.held());
  const follower = followCurrent(config.indexDir, live, logger, config.indexPollMs);
  // The app is composed once the port is known, since the public url defaults to the listen address.
  let app: ReturnType<typeof createApp> | undefined;
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: (req, env) => app!.fetch(req, env), port: config.port, hostname: config.host, serverOptions: serverOptions(config.edge) }, () =>
      resolve(s as Server),
    );
  });
  server.maxConnections = config.edge.maxConnections;
  const drain = drainable(server);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  app = createApp({ live, publicUrl: config.edge.publicUrl ?? url, ingest, ...extra }, logger, config.edge);
  return {
    url,
    get index() {
      return live.current().ctx.index;
    },
    live,
    reload: follower.check,
    async close(graceMs = config.edge.shutdownGraceMs) {
      follower.close();
      const outcome = await drain.close(graceMs);
      await ingest.queue.close();
      await replica?.close();
      await live.close();
      await removeLease(config.indexDir);
      await Promise.all([closeEngine(engine), grouper.close()]);
      return outcome;
    },
  };
}

/**
 * On SIGTERM (docker stop, systemd) or SIGINT: stop accepting, let in-flight
 * requests finish within SHUTDOWN_GRACE_MS, exit 0; 1 if requests had to be cut.
 */
export function closeOnSignals(server: RunningServer): void {
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const { drained, cut } = await server.close();
    if (drained) logger.info('in-flight requests finished; exiting');
    else logger.warn({ cut }, 'grace period over: requests cut');
    process.exit(drained ? 0 : 1);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // The conventional "reload your configuration": look at CURRENT now rather than at the next poll.
  process.on('SIGHUP', () => void server.reload());
}

export function reportStartupError(err: unknown): never {
  if (err instanceof PaperscopeError) logger.error({ code: err.code, details: err.details }, err.message);
  else logger.error(err);
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `npm run serve -- --from s3://bucket/prefix`: the same as INDEX_URL.
  const { values } = parseArgs({ options: { from: { type: 'string' } } });
  startServer(loadConfig(values.from ? { ...process.env, INDEX_URL: values.from } : process.env))
    .then((server) => {
      logger.info({ url: server.url, papers: server.index.papers.size, model: server.index.manifest.model }, 'Paperscope is serving');
      closeOnSignals(server);
    })
    .catch(reportStartupError);
}
