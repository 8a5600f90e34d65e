import fs from 'node:fs/promises';
import path from 'node:path';
import type { S3Config } from '../../src/remote/s3.ts';
import { startCeph } from './ceph.ts';
import { startRedis } from './redis.ts';
import { stopAll } from './processes.ts';

/** The services a cluster runs on, as recorded in `<runDir>/cluster.json` (mode 0600: it holds the S3 secret). */
export interface ClusterServices {
  redisUrl: string;
  s3: S3Config;
  /** Seconds each service took to answer, measured at start. */
  bootSeconds: { redis: number; ceph: number };
}

export interface ServicePorts {
  redis: number;
  cephMon: number;
  rgw: number;
}

/** Daemons in the order they must stop: clients of the cluster first, the monitor last. */
export const STOP_ORDER = ['radosgw', 'ceph-osd', 'ceph-mon', 'redis'];

const STATE = 'cluster.json';

/** Starts Redis and one-node Ceph in `runDir`; on any failure stops what it started and rethrows. */
export async function startServices(runDir: string, ports: ServicePorts): Promise<ClusterServices> {
  try {
    const t0 = performance.now();
    const redis = await startRedis(runDir, ports.redis);
    const t1 = performance.now();
    const ceph = await startCeph(runDir, { monPort: ports.cephMon, rgwPort: ports.rgw });
    const t2 = performance.now();
    const { daemons: _daemons, ...s3 } = ceph;
    const services: ClusterServices = {
      redisUrl: redis.url,
      s3,
      bootSeconds: { redis: round((t1 - t0) / 1000), ceph: round((t2 - t1) / 1000) },
    };
    await fs.writeFile(path.join(runDir, STATE), JSON.stringify(services, null, 2), { mode: 0o600 });
    return services;
  } catch (err) {
    await stopAll(runDir, STOP_ORDER);
    throw err;
  }
}

export async function readServices(runDir: string): Promise<ClusterServices | null> {
  try {
    return JSON.parse(await fs.readFile(path.join(runDir, STATE), 'utf8'));
  } catch {
    return null;
  }
}

/** The environment a Paperscope process needs to use the cluster (see docs/cluster.md). */
export function serviceEnv(services: ClusterServices): Record<string, string> {
  return {
    REDIS_URL: services.redisUrl,
    S3_ENDPOINT: services.s3.endpoint,
    S3_REGION: services.s3.region,
    S3_BUCKET: services.s3.bucket,
    S3_ACCESS_KEY_ID: services.s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: services.s3.secretAccessKey,
    // The store of record (committers write it, the builder reads it) and where builds are published (replicas follow it).
    TABLE_URI: `s3://${services.s3.bucket}/table`,
    INDEX_URL: `s3://${services.s3.bucket}/index`,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
