import { afterAll } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { embedsInWorkers } from '../../src/embed/create-embedder.ts';
import { startConfiguredQueryEngine, type QueryEngine } from '../../src/search/query-engine.ts';
import { startServer, type RunningServer } from '../../src/server.ts';

/**
 * Query engines for models that search on threads (USE-lite), one per model, thread count and priority for the
 * whole fork: files run one after another in a fork that keeps its modules (vitest.config.ts, `isolate: false`),
 * so each file's server opens its builds on the same threads instead of loading the model again (~3 CPU-s a
 * thread). Each server still releases its builds when it closes; the threads end with the fork.
 */
const engines = new Map<string, Promise<QueryEngine>>();

function forkEngine(config: Config): Promise<QueryEngine> | undefined {
  if (!embedsInWorkers(config.model)) return undefined;
  const key = `${config.model}\0${config.queryWorkers}\0${config.queryThreadNice}\0${config.modelsDir}`;
  let engine = engines.get(key);
  if (!engine) {
    engine = startConfiguredQueryEngine(config);
    engines.set(key, engine);
    // A failed start is not kept: the next server tries again and reports its own error.
    engine.catch(() => engines.delete(key));
  }
  return engine;
}

/** The real server on 127.0.0.1 and a free port, closed when the test file ends. */
export async function startTestServer(indexDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  // Tests check answers, not speed: a busy machine must make them slower, not 503s past the production deadline.
  // One query thread: tests send few queries at once.
  const config: Config = { ...loadConfig({ REQUEST_DEADLINE_MS: '120000', QUERY_WORKERS: '1', ...env }), indexDir, port: 0, host: '127.0.0.1' };
  const server = await startServer(config, { queryEngine: await forkEngine(config) });
  afterAll(() => server.close());
  return server;
}

/** The id of the first paper whose title starts with `prefix`, so that tests name papers as a reader would. */
export function idByTitle(server: RunningServer, prefix: string): string {
  const { papers } = server.index;
  for (let label = 0; label < papers.size; label++) if (papers.title(label).startsWith(prefix)) return papers.id(label);
  throw new Error(`no paper titled "${prefix}…"`);
}
