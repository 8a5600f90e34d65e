import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { hostileIndex } from './helpers/fixture-index.ts';
import { freePort } from './helpers/free-port.ts';
import { scriptCommand } from './helpers/compiled.ts';

let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

async function metric(url: string, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('graceful shutdown', () => {
  it('SIGTERM with 16 requests in flight: all 16 complete, new connections are refused, exit 0', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // The server process itself (compiled, as `npm start` runs it), not a relaying wrapper.
    const [node, script] = scriptCommand('src/main.ts');
    child = spawn(node, script, {
      env: {
        ...process.env,
        LOG_LEVEL: 'silent',
        INDEX_DIR: await hostileIndex(),
        MODEL: 'lsa',
        PORT: String(port),
        TOPIC_WORKERS: '1',
        TOPIC_QUEUE: '16',
        QUEUE_WAIT_MS: '120000',
        REQUEST_DEADLINE_MS: '120000',
        SHUTDOWN_GRACE_MS: '120000',
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    await expect.poll(() => fetch(`${url}/health`).then((r) => r.status, () => 0), { interval: 200, timeout: 300_000 }).toBe(200);

    // Sixteen topic queries nobody asked before: one clustering thread works through them one by one.
    const inFlight = Array.from({ length: 16 }, (_, i) =>
      fetch(`${url}/api/topics?q=${encodeURIComponent(`point cloud segmentation ${i}`)}&n=40`).then((r) => r.status, (e: Error) => e.message),
    );
    await expect
      .poll(async () => (await metric(url, 'paperscope_queue_depth', 'gate="topics"')) + (await metric(url, 'paperscope_in_flight', 'gate="topics"')), { interval: 20, timeout: 30_000 })
      .toBe(16);
    child.kill('SIGTERM');
    // Once the signal is handled, the port no longer accepts.
    await expect
      .poll(() => new Promise((resolve) => net.connect(port, '127.0.0.1').once('connect', function (this: net.Socket) { this.destroy(); resolve('accepted'); }).once('error', (e: NodeJS.ErrnoException) => resolve(e.code))), { interval: 50, timeout: 10_000 })
      .toBe('ECONNREFUSED');
    expect(await Promise.all(inFlight)).toEqual(Array(16).fill(200));
    expect(await exited).toBe(0);
  });
});
