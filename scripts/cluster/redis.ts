import fs from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startDaemon, waitUntil, type Daemon } from './processes.ts';

export interface RedisInfo {
  url: string;
  daemon: Daemon;
}

/**
 * Redis on loopback as a plain process. Every write is appended and fsynced
 * (AOF, `appendfsync always`), because the API answers 202 only once a job is
 * durably queued; `noeviction` because BullMQ must never lose keys to memory pressure.
 */
export async function startRedis(runDir: string, port: number): Promise<RedisInfo> {
  const dir = path.join(runDir, 'redis');
  await fs.mkdir(dir, { recursive: true });
  const daemon = await startDaemon(runDir, 'redis', 'redis-server', [
    '--bind', '127.0.0.1',
    '--port', String(port),
    '--dir', dir,
    '--save', '',
    '--appendonly', 'yes',
    '--appendfsync', 'always',
    '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no',
  ]);
  const url = `redis://127.0.0.1:${port}`;
  const ready = await waitUntil(() => ping(url), 10_000, 50);
  if (!ready) throw new Error(`redis did not answer on ${url} within 10 s (see ${path.join(runDir, 'redis.log')})`);
  return { url, daemon };
}

export async function ping(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
