import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { PaperscopeError } from '../errors.ts';

/**
 * Every file of a build with its size and CRC-32, recorded in the manifest by
 * the indexer and checked before a build is served: a truncated, overwritten
 * or bit-rotted file is refused by name instead of starting a server that
 * answers 500s or crashes with a stack. CRC-32 (zlib's, native) because it
 * catches damage, not tampering, at memory speed; the files are read in large
 * chunks on libuv's thread pool, so the event loop keeps serving meanwhile.
 */
export interface BuildFile {
  bytes: number;
  crc32: number;
}

export type BuildFiles = Record<string, BuildFile>;

const CHUNK = 4 * 1024 * 1024;

async function crc32Of(file: string): Promise<number> {
  let crc = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK })) crc = zlib.crc32(chunk as Buffer, crc);
  return crc;
}

async function listFiles(dir: string, under = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fsp.readdir(path.join(dir, under), { withFileTypes: true })) {
    const rel = path.posix.join(under, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out.sort();
}

/** Sizes and checksums of every file in `buildDir` except those in `exclude` (the manifest, which holds them). */
export async function describeBuildFiles(buildDir: string, exclude: string[]): Promise<BuildFiles> {
  const files: BuildFiles = {};
  for (const rel of await listFiles(buildDir)) {
    if (exclude.includes(rel)) continue;
    const file = path.join(buildDir, rel);
    files[rel] = { bytes: (await fsp.stat(file)).size, crc32: await crc32Of(file) };
  }
  return files;
}

/** Throws INDEX_CORRUPT naming the first file that is missing, of another size, or fails its checksum. */
export async function verifyBuildFiles(buildDir: string, files: BuildFiles): Promise<void> {
  const corrupt = (rel: string, why: string) =>
    new PaperscopeError('INDEX_CORRUPT', `${path.join(buildDir, rel)} ${why}; the build cannot be served (re-run the indexer)`, { buildDir, file: rel });
  for (const [rel, expected] of Object.entries(files)) {
    const file = path.join(buildDir, rel);
    const stat = await fsp.stat(file).catch(() => null);
    if (!stat) throw corrupt(rel, 'is missing');
    if (stat.size !== expected.bytes) throw corrupt(rel, `is ${stat.size} bytes where the manifest records ${expected.bytes} (truncated or overwritten)`);
  }
  for (const [rel, expected] of Object.entries(files)) {
    if ((await crc32Of(path.join(buildDir, rel))) !== expected.crc32) throw corrupt(rel, 'does not match its checksum (damaged)');
  }
}
