import * as lancedb from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, Int32, List, Schema, Utf8 } from 'apache-arrow';
import type { StoredPaper } from '../types.ts';

export const TABLE = 'papers';
const DB_FOLDER = 'papers.lance';

/** Explicit schema so that vectors are float32 and empty lists keep their type. */
export function papersSchema(dimension: number): Schema {
  const strings = () => new List(new Field('item', new Utf8(), true));
  return new Schema([
    new Field('id', new Utf8(), false),
    new Field('title', new Utf8(), false),
    new Field('abstract', new Utf8(), false),
    new Field('authors', strings(), false),
    new Field('year', new Int32(), true),
    new Field('date', new Utf8(), true),
    new Field('categories', strings(), false),
    new Field('url', new Utf8(), true),
    new Field('source', new Utf8(), false),
    new Field('content_hash', new Utf8(), false),
    new Field('vector', new FixedSizeList(dimension, new Field('item', new Float32(), true)), false),
  ]);
}

export interface PaperRow {
  paper: StoredPaper;
  vector: Float32Array;
}

/** Rows per write: converting every vector to a JS array at once would need gigabytes at a million papers. */
const WRITE_CHUNK = 20_000;

/** A row as LanceDB takes it (the build's table and the cluster's table of record share the schema). */
export function toRecord({ paper, vector }: PaperRow): Record<string, unknown> {
  return {
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors,
    year: paper.year,
    date: paper.date,
    categories: paper.categories,
    url: paper.url,
    source: paper.source,
    content_hash: paper.contentHash,
    vector: Array.from(vector),
  };
}

export async function writePapersTable(buildDir: string, rows: PaperRow[], dimension: number): Promise<void> {
  const db = await lancedb.connect(`${buildDir}/${DB_FOLDER}`);
  const table = await db.createTable(TABLE, rows.slice(0, WRITE_CHUNK).map(toRecord), { schema: papersSchema(dimension), mode: 'overwrite' });
  for (let start = WRITE_CHUNK; start < rows.length; start += WRITE_CHUNK) await table.add(rows.slice(start, start + WRITE_CHUNK).map(toRecord));
}

export async function openPapersTable(buildDir: string): Promise<lancedb.Table> {
  const db = await lancedb.connect(`${buildDir}/${DB_FOLDER}`);
  return db.openTable(TABLE);
}

/** A row as Arrow hands it over (list columns are Arrow vectors) to a paper. */
function toPaper(r: Record<string, any>): StoredPaper {
  return {
    id: r.id,
    title: r.title,
    abstract: r.abstract,
    authors: [...(r.authors?.toArray() ?? [])],
    year: r.year ?? null,
    date: r.date ?? null,
    categories: [...(r.categories?.toArray() ?? [])],
    url: r.url ?? null,
    source: r.source,
    contentHash: r.content_hash,
  };
}

/** Reads the whole table back, in insertion order (which is the ANN label order). */
export async function readPapersTable(buildDir: string): Promise<PaperRow[]> {
  return readTableRows(await openPapersTable(buildDir));
}

/** Every row of a LanceDB papers table (at the version it has checked out). */
export async function readTableRows(table: lancedb.Table): Promise<PaperRow[]> {
  const rows: PaperRow[] = [];
  for await (const batch of table.query()) {
    for (const r of batch.toArray()) rows.push({ paper: toPaper(r), vector: Float32Array.from(r.vector.toArray()) });
  }
  return rows;
}
