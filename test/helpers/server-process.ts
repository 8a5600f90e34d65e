import { spawn, type ChildProcess } from 'node:child_process';
import { scriptCommand } from './compiled.ts';

export interface ChildScript {
  child: ChildProcess;
  /** What matched `ready` in the output. */
  ready: RegExpExecArray;
  /** Everything the process wrote to stdout and stderr so far (its pino log lines among it). */
  output(): string;
  /** Sends a signal (SIGTERM by default) and resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface ServerProcess extends ChildScript {
  url: string;
}

/**
 * A repository script (compiled from dist/ when the run built it, else node with tsx's loader; see compiled.ts) as a real child process, its output captured, resolved once `ready` appears. The caller stops it (a file-level afterAll).
 * `timeoutMs` only catches a script that never gets ready: a start takes seconds on a quiet machine and minutes beside other jobs.
 */
export async function startScript(script: string, env: Record<string, string>, ready: RegExp, timeoutMs = 300_000): Promise<ChildScript> {
  const [node, args] = scriptCommand(script);
  const child = spawn(node, args, { env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} not ready within ${timeoutMs / 1000} s:\n${output}`));
    }, timeoutMs);
    const look = () => {
      const m = ready.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it was ready:\n${output}`));
    });
  });
  return { child, ready: match, output: () => output, stop };
}

/** `npm run serve` on a free port. */
export async function startServerProcess(env: Record<string, string>, timeoutMs?: number): Promise<ServerProcess> {
  const script = await startScript('src/server.ts', { PORT: '0', HOST: '127.0.0.1', ...env }, /"url":"(http:\/\/[^"]+)".*Paperscope is serving/, timeoutMs);
  return { ...script, url: script.ready[1]! };
}
