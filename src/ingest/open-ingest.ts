import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { IngestDeps } from '../api/routes/ingest.ts';
import { apiKeys } from './api-keys.ts';
import { applyToIndex } from './apply-local.ts';
import { openLocalQueue } from './local-queue.ts';
import type { IngestQueue } from './queue.ts';

/** The queue chosen by configuration: BullMQ when REDIS_URL is set, else the local journal in INDEX_DIR. */
export async function openQueue(config: Config, logger: Logger): Promise<IngestQueue> {
  const c = config.ingest;
  if (c.redisUrl) {
    // BullMQ and ioredis are loaded only for the cluster queue: a server with the local journal does not pay for them.
    const { openBullmqQueue } = await import('./bullmq-queue.ts');
    return openBullmqQueue({ redisUrl: c.redisUrl, prefix: c.queuePrefix, partitions: c.partitions, attempts: c.attempts });
  }
  return openLocalQueue({
    dir: path.join(config.indexDir, 'ingest'),
    apply: applyToIndex(config, Math.max(1, os.availableParallelism())),
    logger,
    batchDelayMs: c.batchDelayMs,
    attempts: c.attempts,
  });
}

/** What the write endpoints need: the queue and the keys. */
export async function openIngest(config: Config, logger: Logger): Promise<IngestDeps> {
  return {
    queue: await openQueue(config, logger),
    keys: apiKeys({ keys: config.ingest.apiKeys, file: config.ingest.apiKeysFile }),
  };
}
