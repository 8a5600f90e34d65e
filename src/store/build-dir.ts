import fs from 'node:fs/promises';
import path from 'node:path';
import { PaperscopeError } from '../errors.ts';
import { leasedBuilds } from './leases.ts';
import { MANIFEST_FILE } from './manifest.ts';

/**
 * Layout of INDEX_DIR:
 *   builds/<build-id>/   one complete index (LanceDB table, hnswlib file, manifest, ...)
 *   CURRENT              the name of the build the service loads
 *   LOCK                 held by the one process writing builds (writer-lock.ts)
 *   leases/<pid>         the builds each running server holds (leases.ts)
 * A new build is written into its own folder and published by atomically
 * replacing CURRENT (write to a temp file, fsync, rename). Killing the indexer at
 * any point therefore leaves CURRENT naming the previous, complete build.
 */
const CURRENT = 'CURRENT';
const BUILDS = 'builds';
/** npm start's mark that the sample corpus is still being indexed in the background (src/sample-indexing.ts). */
export const SAMPLE_PENDING = 'sample-pending';
/** Entries of INDEX_DIR that are Paperscope's own bookkeeping, not content. */
const BOOKKEEPING = new Set(['LOCK', 'LOCK.takeover', 'leases', SAMPLE_PENDING]);

/** How many published builds the indexer keeps by default: the current one and the one before it. */
export const DEFAULT_KEEP_BUILDS = 2;

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

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

export interface IndexDirState {
  /** The build CURRENT names, when it names a complete build. */
  current: string | null;
  /** Whether CURRENT exists at all (it may name a build that is gone or incomplete). */
  hasCurrentFile: boolean;
  /** Build names with a manifest (written last, so the build is whole), newest first. */
  complete: string[];
  /** Build folders without a manifest: left by an indexer that stopped before finishing. */
  incomplete: string[];
  /** Anything else in the folder: the folder is not (only) an index. */
  other: string[];
}

/** What INDEX_DIR holds, without changing it. */
export async function inspectIndexDir(indexDir: string): Promise<IndexDirState> {
  const entries = await fs.readdir(indexDir).catch((err) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [] as string[];
    throw err;
  });
  const builds = entries.includes(BUILDS) ? (await fs.readdir(path.join(indexDir, BUILDS))).sort().reverse() : [];
  const complete: string[] = [];
  const incomplete: string[] = [];
  for (const name of builds) (await exists(path.join(indexDir, BUILDS, name, MANIFEST_FILE)) ? complete : incomplete).push(name);
  const named = await currentBuildDir(indexDir);
  const current = named && complete.includes(path.basename(named)) ? named : null;
  const other = entries.filter((e) => e !== BUILDS && e !== CURRENT && !BOOKKEEPING.has(e) && !e.startsWith(`${CURRENT}.`));
  return { current, hasCurrentFile: entries.includes(CURRENT), complete, incomplete, other };
}

/**
 * Refuses to write into a folder whose builds are not published: an index run
 * there would start from nothing and its publish would delete them (a
 * mistyped INDEX_DIR next to builds, a lost CURRENT). Says what is there and
 * how to recover.
 */
export async function assertNoUnpublishedBuilds(indexDir: string): Promise<void> {
  const state = await inspectIndexDir(indexDir);
  if (state.current || state.complete.length === 0) return;
  const pointer = state.hasCurrentFile ? 'its CURRENT file does not name a complete build' : 'it has no CURRENT file';
  throw new PaperscopeError(
    'INDEX_NO_CURRENT',
    `${indexDir} holds ${state.complete.length} complete build(s) (newest: ${state.complete[0]}) but ${pointer}, so none is published. ` +
      `Nothing was changed. To publish the newest build that loads and verifies, run: npm run index -- --recover --out ${indexDir} ` +
      `(or set INDEX_DIR to another folder).`,
    { indexDir, builds: state.complete },
  );
}

async function fsyncPath(p: string): Promise<void> {
  const handle = await fs.open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Points CURRENT at `buildDir` atomically (write, fsync, rename, fsync the folder); deletes nothing. */
export async function setCurrent(indexDir: string, buildDir: string): Promise<void> {
  const tmp = path.join(indexDir, `${CURRENT}.${process.pid}.tmp`);
  await fs.writeFile(tmp, path.basename(buildDir));
  await fsyncPath(tmp);
  await fs.rename(tmp, path.join(indexDir, CURRENT));
  await fsyncPath(indexDir);
}

/**
 * Makes `buildDir` the current build, then collects garbage: the newest
 * `keepBuilds` complete builds stay, and so does every build a running server
 * holds a lease on; unfinished builds (left by a killed indexer) go. Run by
 * the holder of the writer lock, so no other build is being written meanwhile.
 */
export async function publishBuild(indexDir: string, buildDir: string, keepBuilds = DEFAULT_KEEP_BUILDS): Promise<void> {
  await setCurrent(indexDir, buildDir);
  const state = await inspectIndexDir(indexDir);
  const keep = new Set([path.basename(buildDir), ...state.complete.slice(0, Math.max(1, keepBuilds)), ...(await leasedBuilds(indexDir))]);
  for (const name of [...state.complete, ...state.incomplete]) {
    if (!keep.has(name)) await fs.rm(path.join(indexDir, BUILDS, name), { recursive: true, force: true });
  }
}

/** Removes a build that was never published (after an error in the indexer). */
export async function discardBuild(buildDir: string): Promise<void> {
  await fs.rm(buildDir, { recursive: true, force: true });
}

/** The folder of a build named in `inspectIndexDir`'s lists. */
export function buildPath(indexDir: string, name: string): string {
  return path.join(indexDir, BUILDS, name);
}
