import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

/**
 * Daemons of a local cluster are plain processes. Each one's pid is written to
 * `<runDir>/<name>.pid` and its output to `<runDir>/<name>.log`, so that a later
 * `down` (or a test's teardown, or a CI trap) stops exactly what was started,
 * by pid, and nothing else.
 */
export interface Daemon {
  name: string;
  pid: number;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * The command that runs a TypeScript file as ONE process: node with tsx's
 * loader. (The `tsx` CLI starts node as a child: its pid would not be the
 * worker's, and a SIGKILL to it would orphan the real process.)
 */
export function tsScript(script: string): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', script]];
}

export function pidFile(runDir: string, name: string): string {
  return path.join(runDir, `${name}.pid`);
}

export function logFile(runDir: string, name: string): string {
  return path.join(runDir, `${name}.log`);
}

/** Starts a daemon in its own process group (a Ctrl-C in the terminal that ran `up` must not take it down). */
export async function startDaemon(runDir: string, name: string, command: string, args: string[], options: SpawnOptions = {}): Promise<Daemon> {
  await fsp.mkdir(runDir, { recursive: true });
  const out = fs.openSync(logFile(runDir, name), 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out], env: options.env ?? process.env, cwd: options.cwd });
  fs.closeSync(out);
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`cannot start ${name} (${command}): ${err.message}`)));
    child.once('spawn', () => resolve(child.pid!));
  });
  child.unref();
  await fsp.writeFile(pidFile(runDir, name), `${pid}\n`);
  return { name, pid };
}

export async function readPid(runDir: string, name: string): Promise<number | null> {
  try {
    const pid = Number.parseInt(await fsp.readFile(pidFile(runDir, name), 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped) counts as gone.
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/**
 * Stops one daemon by its recorded pid: SIGTERM, then SIGKILL after `graceMs`.
 * The pid file is removed either way, so `status` does not report it again.
 */
export async function stopDaemon(runDir: string, name: string, graceMs = 10_000): Promise<boolean> {
  const pid = await readPid(runDir, name);
  if (pid === null) return false;
  let stopped = false;
  if (isAlive(pid)) {
    process.kill(pid, 'SIGTERM');
    stopped = await waitUntil(() => !isAlive(pid), graceMs);
    if (!stopped) {
      process.kill(pid, 'SIGKILL');
      await waitUntil(() => !isAlive(pid), 5_000);
    }
    stopped = true;
  }
  await fsp.rm(pidFile(runDir, name), { force: true });
  return stopped;
}

/** Names of the daemons with a pid file in the run folder. */
export async function recordedDaemons(runDir: string): Promise<string[]> {
  try {
    return (await fsp.readdir(runDir)).filter((f) => f.endsWith('.pid')).map((f) => f.slice(0, -'.pid'.length));
  } catch {
    return [];
  }
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A port nobody listens on right now (the kernel picks it), for daemons started side by side. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Stops every daemon recorded in the run folder: first those not named in
 * `last` (the clients: workers, servers), then the named ones in that order
 * (the services they use).
 */
export async function stopAll(runDir: string, last: string[] = []): Promise<string[]> {
  const recorded = await recordedDaemons(runDir);
  const names = [...recorded.filter((n) => !last.includes(n)), ...last.filter((n) => recorded.includes(n))];
  const stopped: string[] = [];
  for (const name of names) if (await stopDaemon(runDir, name)) stopped.push(name);
  return stopped;
}
