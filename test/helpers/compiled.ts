import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { REPO_ROOT } from '../../src/config.ts';
import { tsScript } from '../../scripts/cluster/processes.ts';

/**
 * Calls in a test file's source that start a repository script as a child process: the global setup
 * builds dist/ (`npm run build`) once when a file of the run makes one.
 */
export const SCRIPT_CALLS = ['scriptCommand(', 'startScript(', 'startServerProcess('] as const;

/** `npm run build` when the sources changed since the last build (a no-op otherwise); resolves to dist/. */
export async function buildDist(): Promise<string> {
  await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs'), '--if-stale']);
  return path.join(REPO_ROOT, 'dist');
}

/**
 * The command that runs a repository script (`src/server.ts`, `indexer/cli.ts`, relative to the repository)
 * as one process: compiled, from the dist/ the global setup built, as `npm start` runs
 * (`node --enable-source-maps dist/src/main.js`); node with tsx's loader where no dist/ was built for the run
 * (the cluster suite, and benchmarks, which run outside vitest and share these helpers). A child's start
 * costs ~1.6 CPU-s less compiled than under tsx, and its threads too.
 */
export function scriptCommand(script: string): [string, string[]] {
  // inject() throws outside a vitest run: `npm run bench -- cluster` starts its workers through startScript too.
  const dist = process.env.VITEST ? inject('compiledDist') : '';
  if (!dist) return tsScript(path.join(REPO_ROOT, script));
  return [process.execPath, ['--enable-source-maps', path.join(dist, script.replace(/\.ts$/, '.js'))]];
}
