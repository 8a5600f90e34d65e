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
  /** `TABLE_URI`: the store of record (LanceDB papers table); default `s3://$S3_BUCKET/table` when S3 is configured. */
  tableUri: string | null;
  commit: CommitConfig;
  build: BuildConfig;
}

/** `npm run committer` (src/ingest/committer.ts). */
export interface CommitConfig {
  /** `COMMITTER_PARTITIONS`: the partitions this process commits, e.g. `0,2` (default: all). */
  partitions: number[] | null;
  /** `COMMIT_BATCH_MS`: how long the first change of a batch waits for others before the batch is written. */
  batchMs: number;
  /** `COMMIT_BATCH_MAX`: changes per write at most. */
  batchMax: number;
  /** `COMMIT_OPTIMIZE_EVERY`: partition 0's committer compacts the table after this many writes. */
  optimizeEvery: number;
  /** `COMMIT_LEASE_MS`: a partition's lease; a dead committer's partition is taken over after this. */
  leaseMs: number;
}

/** `npm run builder` (src/ingest/builder.ts). */
export interface BuildConfig {
  /** `BUILD_AFTER_CHANGES`: committed changes that trigger a build at once. */
  afterChanges: number;
  /** `BUILD_INTERVAL_S` (ms here): while fewer changes wait, a build runs this long after the last. */
  intervalMs: number;
  /** `BUILD_KEEP_VERSIONS_S` (ms here): table versions younger than this survive compaction, so a pinned version outlives its build. */
  keepVersionsMs: number;
  /** `KEEP_PUBLISHED_BUILDS`: builds kept in the store after each publish (the newest, and always CURRENT's). */
  keepPublished: number;
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
    tableUri: env.TABLE_URI || null,
    commit: {
      partitions: env.COMMITTER_PARTITIONS ? parsePartitions(env.COMMITTER_PARTITIONS) : null,
      batchMs: positiveInt(env.COMMIT_BATCH_MS, 2000),
      batchMax: positiveInt(env.COMMIT_BATCH_MAX, 500),
      optimizeEvery: positiveInt(env.COMMIT_OPTIMIZE_EVERY, 50),
      leaseMs: positiveInt(env.COMMIT_LEASE_MS, 10_000),
    },
    build: {
      afterChanges: positiveInt(env.BUILD_AFTER_CHANGES, 500),
      intervalMs: positiveInt(env.BUILD_INTERVAL_S, 10) * 1000,
      keepVersionsMs: positiveInt(env.BUILD_KEEP_VERSIONS_S, 3600) * 1000,
      keepPublished: positiveInt(env.KEEP_PUBLISHED_BUILDS, 5),
    },
  };
}

function parsePartitions(value: string): number[] {
  const parts = value.split(',').map((v) => Number(v.trim()));
  if (parts.some((n) => !Number.isInteger(n) || n < 0)) throw new Error(`COMMITTER_PARTITIONS must be partition numbers separated by commas, e.g. 0,2 (got "${value}")`);
  return parts;
}
