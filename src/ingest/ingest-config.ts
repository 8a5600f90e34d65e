import { parseKeyList } from './api-keys.ts';

/** Settings of the write path (README, variables table). */
export interface IngestConfig {
  /** `API_KEYS`: comma-separated keys that may write. */
  apiKeys: string[];
  /** `API_KEYS_FILE`: one key a line; re-read when it changes, so a deleted line is a revoked key. */
  apiKeysFile: string | null;
  /** `REDIS_URL`: set, writes go to BullMQ on this Redis; unset, to the local journal in INDEX_DIR. */
  redisUrl: string | null;
  /** `QUEUE_PREFIX`: key prefix of the queues in Redis. */
  queuePrefix: string;
  /** `COMMIT_PARTITIONS`: hash partitions of paper ids, one committer each. */
  partitions: number;
  /** `INGEST_ATTEMPTS`: tries per job before it is marked failed. */
  attempts: number;
  /** `INGEST_BATCH_MS`: local queue: writes arriving within this window share one rebuild. */
  batchDelayMs: number;
}

const positiveInt = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

export function loadIngestConfig(env: NodeJS.ProcessEnv): IngestConfig {
  return {
    apiKeys: parseKeyList(env.API_KEYS),
    apiKeysFile: env.API_KEYS_FILE || null,
    redisUrl: env.REDIS_URL || null,
    queuePrefix: env.QUEUE_PREFIX || 'paperscope',
    partitions: positiveInt(env.COMMIT_PARTITIONS, 1),
    attempts: positiveInt(env.INGEST_ATTEMPTS, 3),
    batchDelayMs: positiveInt(env.INGEST_BATCH_MS, 1000),
  };
}
