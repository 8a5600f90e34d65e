import { serve, type ServerType } from '@hono/node-server';
import type { Config } from './config.ts';
import { loadConfig } from './config.ts';
import { logger } from './logger.ts';
import { createApp } from './api/app.ts';
import { modelId } from './embed/create-embedder.ts';
import { createEmbedPool } from './embed/embed-pool.ts';
import { cachedQueryEmbedder } from './embed/query-cache.ts';
import { loadBuild, requireBuildDir, type SearchIndex } from './store/load-index.ts';
import { assertSameModel, readManifest } from './store/manifest.ts';
import { DEFAULT_FUSION, DEFAULT_SIMILAR_FUSION } from './search/fuse.ts';
import type { SearchContext } from './search/context.ts';
import { PaperscopeError } from './errors.ts';
import { openIngest } from './ingest/open-ingest.ts';

export interface RunningServer {
  url: string;
  index: SearchIndex;
  close(): Promise<void>;
}

/** Loads the index and the query model side by side, checks they agree, and serves the API. */
export async function startServer(config: Config): Promise<RunningServer> {
  const buildDir = await requireBuildDir(config.indexDir);
  assertSameModel(await readManifest(buildDir), modelId(config.model));
  const options = { modelsDir: config.modelsDir, allowRemote: config.allowRemoteModels, buildDir };
  const [loaded, started] = await Promise.allSettled([loadBuild(buildDir), createEmbedPool(config.model, options, config.queryWorkers)]);
  if (loaded.status === 'rejected' || started.status === 'rejected') {
    if (started.status === 'fulfilled') await started.value.close();
    throw loaded.status === 'rejected' ? loaded.reason : (started as PromiseRejectedResult).reason;
  }
  const index = loaded.value;
  const embedder = started.value;
  try {
    assertSameModel(index.manifest, embedder.id, embedder.dimension);
  } catch (err) {
    await embedder.close();
    throw err;
  }

  const ingest = await openIngest(config, logger);
  const ctx: SearchContext = { index, embedQuery: cachedQueryEmbedder(embedder), fusion: DEFAULT_FUSION, similarFusion: DEFAULT_SIMILAR_FUSION };
  // The app is composed once the port is known, since the public url defaults to the listen address.
  let app: ReturnType<typeof createApp> | undefined;
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: (req, env) => app!.fetch(req, env), port: config.port, hostname: config.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  app = createApp({ ctx, publicUrl: config.edge.publicUrl ?? url, ingest }, logger);
  return {
    url,
    index,
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Idle keep-alive sockets would otherwise hold the close open.
        (server as import('node:http').Server).closeIdleConnections?.();
      });
      await ingest.queue.close();
      await embedder.close();
    },
  };
}

/** Stops accepting connections on SIGINT/SIGTERM and exits once in-flight requests are done. */
export function closeOnSignals(server: RunningServer): void {
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000).unref();
    await server.close();
    clearTimeout(timer);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function reportStartupError(err: unknown): never {
  if (err instanceof PaperscopeError) logger.error({ code: err.code, details: err.details }, err.message);
  else logger.error(err);
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  startServer(loadConfig())
    .then((server) => {
      logger.info({ url: server.url, papers: server.index.papers.size, model: server.index.manifest.model }, 'Paperscope is serving');
      closeOnSignals(server);
    })
    .catch(reportStartupError);
}
