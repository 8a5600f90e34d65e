import { afterAll } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';

/** The real server on 127.0.0.1 and a free port, closed when the test file ends. */
export async function startTestServer(indexDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  // Tests check answers, not speed: a busy machine must make them slower, not 503s past the production deadline.
  // One query thread: each loads its own copy of the model (seconds of CPU), and tests send few queries at once.
  const server = await startServer({ ...loadConfig({ REQUEST_DEADLINE_MS: '120000', QUERY_WORKERS: '1', ...env }), indexDir, port: 0, host: '127.0.0.1' });
  afterAll(() => server.close());
  return server;
}

/** The id of the first paper whose title starts with `prefix`, so that tests name papers as a reader would. */
export function idByTitle(server: RunningServer, prefix: string): string {
  const { papers } = server.index;
  for (let label = 0; label < papers.size; label++) if (papers.title(label).startsWith(prefix)) return papers.id(label);
  throw new Error(`no paper titled "${prefix}…"`);
}
