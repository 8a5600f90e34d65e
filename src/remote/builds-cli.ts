/**
 * `npm run builds -- list | publish DIR | current BUILD_ID | prune --keep N`: the
 * builds in an object store (INDEX_URL or --store), by hand. `publish` uploads a
 * local build folder (e.g. one `npm run index` made) and moves CURRENT to it;
 * `current` moves CURRENT to a build already in the store: a rollback, which
 * replicas follow; `prune` removes all but the newest N builds and CURRENT's.
 * Both move CURRENT by compare-and-swap and, with REDIS_URL, tell replicas at once.
 */
import { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { reportStartupError } from '../server.ts';
import { redisCurrentHint } from './current-hint.ts';
import type { ObjectStore } from './object-store.ts';
import { openObjectStore } from './open-store.ts';
import { listRemoteBuilds, moveCurrent, publishBuild, readRemoteCurrent } from './publish-build.ts';
import { pruneRemoteBuilds } from './prune-builds.ts';

async function withStore(url: string | undefined, fn: (store: ObjectStore, announce: ReturnType<typeof redisCurrentHint> | undefined) => Promise<void>) {
  const target = url ?? process.env.INDEX_URL;
  if (!target) throw new Error('say which store: --store s3://bucket/prefix, or INDEX_URL');
  const store = openObjectStore(target);
  const config = loadConfig();
  const hint = config.ingest.redisUrl ? redisCurrentHint(config.ingest.redisUrl, config.ingest.queuePrefix, store) : undefined;
  try {
    await fn(store, hint);
  } finally {
    await hint?.close();
    store.close();
  }
}

const program = new Command().name('npm run builds --').description('Builds published to object storage').option('--store <url>', 'the store (default: INDEX_URL)');
program
  .command('list')
  .description('the published builds; * marks the one CURRENT names')
  .action(() =>
    withStore(program.opts().store, async (store) => {
      const current = (await readRemoteCurrent(store))?.buildId;
      for (const id of await listRemoteBuilds(store)) console.log(`${id === current ? '*' : ' '} ${id}`);
    }),
  );
program
  .command('publish <dir>')
  .description('upload a local build folder and make it CURRENT')
  .action((dir: string) =>
    withStore(program.opts().store, async (store, announcer) => {
      const published = await publishBuild(store, dir, { announcer });
      console.log(JSON.stringify({ store: store.url, ...published }));
    }),
  );
program
  .command('current <buildId>')
  .description('move CURRENT to a build already in the store (roll back or forward)')
  .action((buildId: string) =>
    withStore(program.opts().store, async (store, announcer) => {
      const previous = (await readRemoteCurrent(store))?.buildId ?? null;
      await moveCurrent(store, buildId, { announcer });
      console.log(JSON.stringify({ store: store.url, current: buildId, previous }));
    }),
  );
program
  .command('prune')
  .description('remove published builds but the newest N (by build time) and the one CURRENT names')
  .requiredOption('--keep <n>', 'builds to keep', (v) => Number.parseInt(v, 10))
  .action((o: { keep: number }) =>
    withStore(program.opts().store, async (store) => {
      console.log(JSON.stringify({ store: store.url, removed: await pruneRemoteBuilds(store, o.keep) }));
    }),
  );

program.parseAsync().catch(reportStartupError);
