import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { s3Client, type S3Config } from '../../src/remote/s3.ts';
import { portOpen, startDaemon, waitUntil, type Daemon } from './processes.ts';

const run = promisify(execFile);

export interface CephInfo extends S3Config {
  daemons: Daemon[];
}

export interface CephOptions {
  monPort: number;
  rgwPort: number;
  bucket?: string;
  /** Memory the memstore OSD may hold; objects live in RAM, so this caps the cluster's size. */
  osdBytes?: number;
}

/**
 * A one-node RADOS cluster for tests and local clusters: one monitor, one OSD
 * on memstore (RAM, nothing to format), one radosgw, cephx off, everything in
 * `<runDir>/ceph`. Ceph's own service units are not used.
 */
export async function startCeph(runDir: string, options: CephOptions): Promise<CephInfo> {
  const dir = path.join(runDir, 'ceph');
  await fs.mkdir(dir, { recursive: true });
  const conf = path.join(dir, 'ceph.conf');
  const fsid = randomUUID();
  await fs.writeFile(conf, cephConf(fsid, dir, options));
  const ceph = (...args: string[]) => cephCommand(conf, args);
  const daemons: Daemon[] = [];

  await run('monmaptool', ['--create', '--fsid', fsid, '--addv', 'a', `[v1:127.0.0.1:${options.monPort}]`, path.join(dir, 'monmap')]);
  await run('ceph-mon', ['-c', conf, '--mkfs', '-i', 'a', '--monmap', path.join(dir, 'monmap')]);
  daemons.push(await startDaemon(runDir, 'ceph-mon', 'ceph-mon', ['-c', conf, '-i', 'a', '-f']));

  // A monitor that has just started may refuse commands (EPERM) until it has formed its quorum of one.
  const monUp = await waitUntil(() => ceph('quorum_status').then(() => true, () => false), 60_000, 250);
  if (!monUp) throw new Error(`the monitor did not answer within 60 s (see ${path.join(dir, 'mon.a.log')})`);

  const osdUuid = randomUUID();
  const osdId = (await ceph('osd', 'new', osdUuid)).stdout.trim();
  await fs.mkdir(path.join(dir, `osd.${osdId}`), { recursive: true });
  await run('ceph-osd', ['-c', conf, '-i', osdId, '--mkfs', '--osd-uuid', osdUuid]);
  // With `osd crush update on start = false` the OSD does not place itself: put it under the default root by hand.
  await ceph('osd', 'crush', 'add', `osd.${osdId}`, '1.0', 'root=default');
  daemons.push(await startDaemon(runDir, 'ceph-osd', 'ceph-osd', ['-c', conf, '-i', osdId, '-f']));
  const osdUp = await waitUntil(async () => {
    const { stdout } = await ceph('osd', 'stat', '--format', 'json');
    return JSON.parse(stdout).num_up_osds >= 1;
  }, 60_000, 250);
  if (!osdUp) throw new Error(`the OSD did not come up within 60 s (see ${path.join(dir, 'osd.0.log')})`);

  daemons.push(await startDaemon(runDir, 'radosgw', 'radosgw', ['-c', conf, '-n', 'client.rgw', '-f']));
  const endpoint = `http://127.0.0.1:${options.rgwPort}`;
  if (!(await waitUntil(() => portOpen(options.rgwPort), 60_000, 200))) {
    throw new Error(`radosgw did not listen on ${endpoint} within 60 s (see ${path.join(dir, 'client.rgw.log')})`);
  }

  const s3: S3Config = {
    endpoint,
    region: 'us-east-1',
    bucket: options.bucket ?? 'paperscope',
    accessKeyId: randomBytes(10).toString('hex').toUpperCase(),
    secretAccessKey: randomBytes(20).toString('hex'),
  };
  await run('radosgw-admin', ['-c', conf, '-n', 'client.rgw', 'user', 'create', '--uid', 'paperscope', '--display-name', 'Paperscope',
    '--access-key', s3.accessKeyId, '--secret', s3.secretAccessKey]);
  const client = s3Client(s3);
  try {
    await client.send(new CreateBucketCommand({ Bucket: s3.bucket }));
  } finally {
    client.destroy();
  }
  return { ...s3, daemons };
}

/**
 * A `ceph` command. Right after the monitor forms its quorum a client may still
 * send its first command with a zero fsid, and the monitor refuses it ("EPERM:
 * problem getting command descriptions from mon"; seen on a fresh machine's
 * first boot): such a refusal is retried for up to 30 s.
 */
async function cephCommand(conf: string, args: string[]): Promise<{ stdout: string }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await run('ceph', ['-c', conf, '--connect-timeout', '15', ...args]);
    } catch (err) {
      const transient = /problem getting command descriptions/.test(String((err as { stderr?: string }).stderr ?? err));
      if (!transient || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function cephConf(fsid: string, dir: string, o: CephOptions): string {
  return `[global]
fsid = ${fsid}
# The legacy protocol only: one port, and clients do not try msgr2 on it first.
mon host = v1:127.0.0.1:${o.monPort}
ms bind msgr2 = false
auth cluster required = none
auth service required = none
auth client required = none
auth supported = none
run dir = ${dir}
admin socket = ${dir}/$name.asok
log file = ${dir}/$name.log
pid file = ${dir}/$name.pid-ceph
mon data = ${dir}/mon.$id
osd data = ${dir}/osd.$id
# One copy of everything: there is one OSD.
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = ${o.osdBytes ?? 2 * 1024 ** 3}
# Without these two the OSD, started outside the packaged units, dies with "wrong fsid".
osd crush update on start = false
osd class update on start = false

[client.rgw]
rgw data = ${dir}/rgw
rgw frontends = beast endpoint=127.0.0.1:${o.rgwPort}
rgw enable usage log = false
`;
}
