import fs from 'node:fs/promises';
import path from 'node:path';
import { PaperscopeError } from '../errors.ts';
import type { BuildFiles } from './build-files.ts';

/** Bumped whenever the on-disk layout of a build changes incompatibly. */
export const FORMAT_VERSION = 8;

export interface AnnParams {
  space: 'cosine';
  m: number;
  efConstruction: number;
  efSearch: number;
}

export interface Manifest {
  formatVersion: number;
  model: string;
  dimension: number;
  count: number;
  ann: AnnParams;
  builtAt: string;
  /** Seconds spent per indexing stage, for the stats endpoint and the benchmarks. */
  timings: Record<string, number>;
  /** Size and CRC-32 of every other file of the build, checked before it is served (since format 8). */
  files: BuildFiles;
}

export const MANIFEST_FILE = 'manifest.json';

export async function writeManifest(buildDir: string, manifest: Manifest): Promise<void> {
  await fs.writeFile(path.join(buildDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
}

/**
 * A build's manifest; one of another format version is refused unless
 * `anyFormat` (the indexer still reuses an older build's vectors: the papers
 * table has kept its schema, only the artefacts around it changed).
 */
export async function readManifest(buildDir: string, { anyFormat = false } = {}): Promise<Manifest> {
  const file = path.join(buildDir, MANIFEST_FILE);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new PaperscopeError('INDEX_CORRUPT', `Cannot read the index manifest ${file}: ${(err as Error).message}`, { file });
  }
  if (manifest.formatVersion !== FORMAT_VERSION && !anyFormat) {
    throw new PaperscopeError(
      'INDEX_CORRUPT',
      `Index format ${manifest.formatVersion} is not supported (expected ${FORMAT_VERSION}; format 8 added file checksums); ` +
        `re-run the indexer on it (npm run index -- FILES --out ${path.dirname(path.dirname(buildDir))}), which reuses its vectors`,
      { file },
    );
  }
  return manifest;
}

/** The service must serve queries with the model that embedded the papers. */
export function assertSameModel(manifest: Manifest, model: string, dimension?: number): void {
  if (manifest.model !== model || (dimension !== undefined && manifest.dimension !== dimension)) {
    throw new PaperscopeError(
      'INDEX_MODEL_MISMATCH',
      `The index was built with model "${manifest.model}" (${manifest.dimension}-d) but the configured model is "${model}"` +
        (dimension !== undefined ? ` (${dimension}-d)` : '') +
        `. Set MODEL=${manifest.model} or rebuild the index with --model ${model}.`,
      { indexModel: manifest.model, indexDimension: manifest.dimension, configuredModel: model, configuredDimension: dimension ?? null },
    );
  }
}
