/**
 * `npm run cluster -- up|down|status`: a whole Paperscope cluster on this
 * machine as plain processes (no Docker): Redis, one-node Ceph (monitor,
 * memstore OSD, radosgw), N embedding workers, the committer, the builder and M replicas. Every process is recorded by
 * pid in the run folder; `down` stops exactly those. See docs/cluster.md.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from '../../src/config.ts';
import { freePort, isAlive, logFile, readPid, recordedDaemons, startDaemon, stopAll, tsScript } from './processes.ts';
import { ping } from './redis.ts';
import { STOP_ORDER, readServices, serviceEnv, startServices } from './services.ts';

type Component = { name: string; script: string; env?: Record<string, string> };

/** Paperscope's own processes, started after the services; each replica gets its own port and copy folder. */
function components(runDir: string, workers: number, replicaPorts: number[]): Component[] {
  return [
    ...Array.from({ length: workers }, (_, i) => ({ name: `worker-${i + 1}`, script: 'src/ingest/worker.ts' })),
    // One process commits every partition (COMMIT_PARTITIONS); more committers on other machines would stand by or share them.
    { name: 'committer', script: 'src/ingest/committer.ts' },
    { name: 'builder', script: 'src/ingest/builder.ts' },
    // Replicas follow INDEX_URL (the builder's publishes); each waits for the first build before it listens.
    ...replicaPorts.map((port, i) => ({
      name: `replica-${i + 1}`,
      script: 'src/server.ts',
      env: { PORT: String(port), INDEX_DIR: path.join(runDir, `replica-${i + 1}`) },
    })),
  ];
}

async function up(
  runDir: string,
  o: { workers: number; replicas: number; replicaPort: number; redisPort: number; monPort: number; rgwPort: number; freePorts: boolean },
) {
  const running = (await Promise.all((await recordedDaemons(runDir)).map(async (n) => [n, await readPid(runDir, n)] as const))).filter(
    ([, pid]) => pid !== null && isAlive(pid),
  );
  if (running.length) throw new Error(`a cluster is already running in ${runDir} (${running.map(([n]) => n).join(', ')}); npm run cluster -- down`);
  await fs.mkdir(runDir, { recursive: true });
  const ports = o.freePorts
    ? { redis: await freePort(), cephMon: await freePort(), rgw: await freePort() }
    : { redis: o.redisPort, cephMon: o.monPort, rgw: o.rgwPort };
  const replicaPorts = await Promise.all(Array.from({ length: o.replicas }, (_, i) => (o.freePorts ? freePort() : Promise.resolve(o.replicaPort + i))));
  const services = await startServices(runDir, ports);
  const env = { ...process.env, ...serviceEnv(services) };
  const envFile = path.join(runDir, 'env');
  await fs.writeFile(envFile, Object.entries(serviceEnv(services)).map(([k, v]) => `export ${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
  try {
    for (const c of components(runDir, o.workers, replicaPorts)) await startDaemon(runDir, c.name, ...tsScript(path.join(REPO_ROOT, c.script)), { env: { ...env, ...c.env }, cwd: REPO_ROOT });
  } catch (err) {
    await stopAll(runDir, STOP_ORDER);
    throw err;
  }
  console.log(`Redis    ${services.redisUrl}   (${services.bootSeconds.redis} s)`);
  console.log(`S3       ${services.s3.endpoint}   bucket ${services.s3.bucket}   (Ceph ${services.bootSeconds.ceph} s)`);
  console.log(`workers  ${o.workers}; committer, builder (store of record ${env.TABLE_URI}, builds to ${env.INDEX_URL})`);
  for (const [i, port] of replicaPorts.entries()) console.log(`replica-${i + 1} http://127.0.0.1:${port}   (serves once the builder has published a build)`);
  console.log(`run dir  ${runDir}   (logs: <name>.log; environment for other processes: source ${envFile})`);
}

async function status(runDir: string): Promise<boolean> {
  const services = await readServices(runDir);
  const names = await recordedDaemons(runDir);
  if (!services && names.length === 0) {
    console.log(`no cluster in ${runDir}`);
    return false;
  }
  let healthy = true;
  for (const name of names.sort()) {
    const pid = await readPid(runDir, name);
    const alive = pid !== null && isAlive(pid);
    healthy &&= alive;
    console.log(`${name.padEnd(10)} pid ${String(pid).padEnd(8)} ${alive ? 'running' : `stopped (see ${logFile(runDir, name)})`}`);
  }
  if (services) {
    const redisOk = await ping(services.redisUrl);
    const s3Ok = await fetch(services.s3.endpoint).then((r) => r.status < 500, () => false);
    healthy &&= redisOk && s3Ok;
    console.log(`Redis ${services.redisUrl} ${redisOk ? 'answers' : 'does not answer'}; S3 ${services.s3.endpoint} ${s3Ok ? 'answers' : 'does not answer'}`);
  }
  return healthy;
}

async function down(runDir: string) {
  const stopped = await stopAll(runDir, STOP_ORDER);
  // The OSD keeps objects in memory: with it stopped, the data folders hold nothing worth keeping. Logs stay.
  await fs.rm(path.join(runDir, 'ceph'), { recursive: true, force: true });
  await fs.rm(path.join(runDir, 'redis'), { recursive: true, force: true });
  await fs.rm(path.join(runDir, 'cluster.json'), { force: true });
  await fs.rm(path.join(runDir, 'env'), { force: true });
  console.log(stopped.length ? `stopped ${stopped.join(', ')}` : 'nothing was running');
}

const int = (v: string) => Number.parseInt(v, 10);
const program = new Command().name('npm run cluster --').description('A local Paperscope cluster as plain processes (see docs/cluster.md)');
program.option('--dir <dir>', 'run folder (pids, logs, data)', process.env.CLUSTER_DIR ?? path.join(REPO_ROOT, '.cluster'));
program
  .command('up')
  .description('start Redis, one-node Ceph, the workers, the committer, the builder and the replicas; print their addresses')
  .option('--workers <n>', 'embedding workers', int, 1)
  .option('--replicas <m>', 'replicas serving the published builds (src/server.ts with INDEX_URL)', int, 1)
  .option('--replica-port <port>', 'port of the first replica (the next ones count up)', int, 3001)
  .option('--redis-port <port>', 'Redis port', int, 6379)
  .option('--mon-port <port>', 'Ceph monitor port', int, 6789)
  .option('--rgw-port <port>', 'radosgw (S3) port', int, 7480)
  .option('--free-ports', 'let the kernel pick free ports instead (CI, or beside another cluster)', false)
  .action(async (o) => up(path.resolve(program.opts().dir), o));
program.command('down').description('stop everything `up` started, by pid').action(async () => down(path.resolve(program.opts().dir)));
program
  .command('status')
  .description('show each process and whether the services answer')
  .action(async () => {
    if (!(await status(path.resolve(program.opts().dir)))) process.exitCode = 1;
  });

program.parseAsync(process.argv).catch((err) => {
  console.error(`error: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
