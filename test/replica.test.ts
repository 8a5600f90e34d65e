import fs from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { localObjectStore } from '../src/remote/local-store.ts';
import { moveCurrent, publishBuild } from '../src/remote/publish-build.ts';
import { startReplica } from '../src/remote/replica.ts';
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';
import { currentBuildDir } from '../src/store/build-dir.ts';
import { fakeBuild } from './helpers/object-store-contract.ts';
import { tempDir } from './helpers/temp-dir.ts';

const logger = pino({ level: 'silent' });

describe('a replica copying builds from object storage', () => {
  it('copies CURRENT, refuses a damaged copy, follows a rollback, and collects old copies', async () => {
    const dir = await tempDir();
    const store = localObjectStore(path.join(dir, 'store'));
    const indexDir = path.join(dir, 'replica');
    await publishBuild(store, await fakeBuild(dir, 'b1'));
    const synced: string[] = [];
    const replica = await startReplica({ store, indexDir, pollMs: 0, keepBuilds: 1, logger, onSynced: (d) => void synced.push(path.basename(d)) });
    try {
      expect(path.basename((await currentBuildDir(indexDir))!)).toBe('b1');
      expect(await fs.readFile(path.join(indexDir, 'builds', 'b1', 'papers.lance', 'data.bin'), 'utf8')).toBe('rows of b1');

      // A file damaged in the store: the copy fails its checksum, is discarded, and b1 stays current.
      await publishBuild(store, await fakeBuild(dir, 'b2'));
      await fs.writeFile(path.join(dir, 'store', 'builds', 'b2', 'vectors.f32'), Buffer.alloc(4096, 9));
      expect(path.basename((await replica.sync())!)).toBe('b1');
      expect(await fs.readdir(path.join(indexDir, 'builds'))).toEqual(['b1']);

      await publishBuild(store, await fakeBuild(dir, 'b3'));
      expect(path.basename((await replica.sync())!)).toBe('b3');
      expect(await fs.readdir(path.join(indexDir, 'builds'))).toEqual(['b3']);
      // Rolled back to b1, which was collected (no server held it): copied again.
      await moveCurrent(store, 'b1');
      expect(path.basename((await replica.sync())!)).toBe('b1');
      expect(synced).toEqual(['b1', 'b3', 'b1']);
      // keepBuilds 1: the current build and the newest one stay, nothing else.
      expect((await fs.readdir(path.join(indexDir, 'builds'))).sort()).toEqual(['b1', 'b3']);
    } finally {
      await replica.close();
    }

    // Restarted while the store is unreachable: the copy already here is served; with no copy, the start fails.
    const down = { ...store, get: () => Promise.reject(new Error('connect ECONNREFUSED')) };
    const again = await startReplica({ store: down, indexDir, pollMs: 0, keepBuilds: 1, logger });
    expect(path.basename((await currentBuildDir(indexDir))!)).toBe('b1');
    await again.close();
    await expect(startReplica({ store: down, indexDir: path.join(dir, 'empty'), pollMs: 0, keepBuilds: 1, logger })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a replica without REDIS_URL refuses API keys: its writes would have nowhere to go', async () => {
    const dir = await tempDir();
    const config = loadConfig({ INDEX_URL: path.join(dir, 'store'), INDEX_DIR: path.join(dir, 'replica'), API_KEYS: 'a-key-of-32-characters-or-so-xxxxxx' });
    await expect(startServer(config)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('REDIS_URL') });
  });
});
