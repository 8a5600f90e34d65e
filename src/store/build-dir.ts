import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Layout of INDEX_DIR:
 *   builds/<build-id>/   one complete index (LanceDB table, hnswlib file, manifest, ...)
 *   CURRENT              the name of the build the service loads
 * A new build is written into its own folder and published by atomically
 * replacing CURRENT (write to a temp file, fsync, rename). Killing the indexer at
 * any point therefore leaves CURRENT naming the previous, complete build.
 */
const CURRENT = 'CURRENT';
const BUILDS = 'builds';

export async function currentBuildDir(indexDir: string): Promise<string | null> {
  try {
    const name = (await fs.readFile(path.join(indexDir, CURRENT), 'utf8')).trim();
    return name ? path.join(indexDir, BUILDS, name) : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function createBuildDir(indexDir: string): Promise<string> {
  const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  const dir = path.join(indexDir, BUILDS, name);
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

async function fsyncPath(p: string): Promise<void> {
  const handle = await fs.open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes `buildDir` the current build, then removes every other build except the previous one. */
export async function publishBuild(indexDir: string, buildDir: string): Promise<void> {
  const previous = await currentBuildDir(indexDir);
  const tmp = path.join(indexDir, `${CURRENT}.${process.pid}.tmp`);
  await fs.writeFile(tmp, path.basename(buildDir));
  await fsyncPath(tmp);
  await fs.rename(tmp, path.join(indexDir, CURRENT));
  await fsyncPath(indexDir);
  const keep = new Set([buildDir, previous].filter(Boolean).map((d) => path.basename(d!)));
  for (const name of await fs.readdir(path.join(indexDir, BUILDS))) {
    if (!keep.has(name)) await fs.rm(path.join(indexDir, BUILDS, name), { recursive: true, force: true });
  }
}

/** Removes a build that was never published (after an error in the indexer). */
export async function discardBuild(buildDir: string): Promise<void> {
  await fs.rm(buildDir, { recursive: true, force: true });
}
