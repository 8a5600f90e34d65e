/**
 * The service as a separate process, so that a load generator does not share
 * its event loop and its RSS is the server's own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../src/config.ts';
import { mb } from './stats.ts';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Milliseconds from spawn until /api/stats first answered. */
  readyMs: number;
  rssMb(): number;
  /** CPU seconds the server process (all its threads) has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** utime + stime from /proc/PID/stat, in clock ticks of 1/100 s (Linux's USER_HZ). */
function processCpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function processRss(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return mb(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024);
}

/** How the server is run: from the TypeScript sources through tsx (`npm run serve`), or compiled (`dist/`, as `npm start` and Docker run it). */
export type ServerEntry = 'source' | 'compiled';

function entryArgs(entry: ServerEntry, root: string): string[] {
  return entry === 'source' ? ['--import', 'tsx', path.join(root, 'src', 'server.ts')] : [path.join(root, 'dist', 'src', 'server.js')];
}

/**
 * `nodeArgs` go before the script, e.g. `--cpu-prof` to profile the server under a benchmark's load;
 * `root` is the checkout whose server runs (another one's, to compare two versions under one load generator).
 */
export async function startServerProcess(
  indexDir: string,
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 120_000,
  entry: ServerEntry = 'source',
  nodeArgs: string[] = [],
  root = REPO_ROOT,
): Promise<ServerProcess> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...entryArgs(entry, root)], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, INDEX_DIR: indexDir, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`server exited with code ${code}`))));
  const ready = (async () => {
    while (performance.now() - started < timeoutMs) {
      try {
        if ((await fetch(`${url}/api/stats`)).ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`server not ready after ${timeoutMs} ms`);
  })();
  let readyMs: number;
  try {
    readyMs = await Promise.race([ready, exited]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  exited.catch(() => undefined);
  return {
    url,
    pid: child.pid!,
    readyMs,
    rssMb: () => processRss(child.pid!),
    cpuSeconds: () => processCpuSeconds(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
