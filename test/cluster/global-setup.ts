import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, stopAll } from '../../scripts/cluster/processes.ts';
import { STOP_ORDER, readServices, startServices, type ClusterServices } from '../../scripts/cluster/services.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: ClusterServices;
  }
}

/**
 * Starts real Redis and one-node Ceph for the cluster suite on free ports, and
 * stops them by pid afterwards. `PAPERSCOPE_CLUSTER_DIR` reuses a cluster that
 * `npm run cluster -- up` started (quicker while iterating); it is left running.
 */
export default async function setup(project: TestProject) {
  const reuse = process.env.PAPERSCOPE_CLUSTER_DIR;
  if (reuse) {
    const services = await readServices(reuse);
    if (!services) throw new Error(`no running cluster in ${reuse} (npm run cluster -- up)`);
    project.provide('cluster', services);
    return;
  }
  const runDir = await fs.mkdtemp(path.join(os.tmpdir(), 'paperscope-cluster-'));
  const services = await startServices(runDir, { redis: await freePort(), cephMon: await freePort(), rgw: await freePort() });
  console.error(`cluster test services up: redis ${services.bootSeconds.redis} s, ceph ${services.bootSeconds.ceph} s (${runDir})`);
  project.provide('cluster', services);
  return async () => {
    await stopAll(runDir, STOP_ORDER);
    await fs.rm(runDir, { recursive: true, force: true });
  };
}
