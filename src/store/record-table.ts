import * as lancedb from '@lancedb/lancedb';
import { lancedbStorageOptions, s3Uri, type S3Config } from '../remote/s3.ts';
import { TABLE, papersSchema, readTableRows, toRecord, type PaperRow } from './papers-table.ts';

/**
 * The cluster's store of record: one long-lived LanceDB papers table (the same
 * schema as a build's table), at an `s3://` URI with storage options or in a
 * local folder. Committers write into it, one per id partition; the builder
 * reads a pinned version of it. Builds are made from it, never the other way.
 */
export interface RecordTableLocation {
  uri: string;
  storageOptions?: Record<string, string>;
}

export interface RecordTable {
  /**
   * Upserts rows by id (`mergeInsert`) and deletes ids, in that order; an id
   * should be in one list at most. Safe only while no other writer touches the
   * same ids (concurrent `mergeInsert`s on one id leave duplicate rows), which
   * the partitioned committers guarantee. Creates the table on its first rows.
   */
  apply(upserts: PaperRow[], deletes: string[]): Promise<void>;
  /** The latest version, or null while the table does not exist. */
  version(): Promise<number | null>;
  /** Every row as of `version` (later commits do not show). */
  rowsAt(version: number): Promise<PaperRow[]>;
  count(): Promise<number>;
  /** Compacts small fragments and removes versions older than `keepMs` (a builder's pinned version must be younger). */
  optimize(keepMs: number): Promise<void>;
  close(): void;
}

/**
 * `TABLE_URI` (a local folder, or `s3://bucket/prefix` on the configured S3
 * endpoint), else `s3://$S3_BUCKET/table`; with neither there is no store of record.
 */
export function recordTableLocation(tableUri: string | null, s3: S3Config | null): RecordTableLocation {
  const uri = tableUri ?? (s3 ? s3Uri(s3, 'table') : null);
  if (!uri) throw new Error('the store of record needs TABLE_URI (a folder or s3://bucket/prefix) or S3_ENDPOINT and S3_BUCKET');
  if (!uri.startsWith('s3://')) return { uri };
  if (!s3) throw new Error(`TABLE_URI ${uri} is on S3, but S3_ENDPOINT and S3_BUCKET are not set`);
  return { uri, storageOptions: lancedbStorageOptions(s3) };
}

/** Ids per delete predicate, so that an SQL filter stays a reasonable size. */
const DELETE_CHUNK = 500;

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function openRecordTable(location: RecordTableLocation): Promise<RecordTable> {
  // readConsistencyInterval 0: every read sees the latest commit, whoever wrote it.
  const db = await lancedb.connect(location.uri, { storageOptions: location.storageOptions, readConsistencyInterval: 0 });
  let table: lancedb.Table | null = null;

  const existing = async (): Promise<lancedb.Table | null> => {
    if (!table && (await db.tableNames()).includes(TABLE)) table = await db.openTable(TABLE);
    return table;
  };
  const orCreate = async (dimension: number): Promise<lancedb.Table> =>
    (await existing()) ?? (table = await db.createEmptyTable(TABLE, papersSchema(dimension), { mode: 'create', existOk: true }));

  return {
    async apply(upserts, deletes) {
      if (upserts.length) {
        const t = await orCreate(upserts[0]!.vector.length);
        const data = lancedb.makeArrowTable(upserts.map(toRecord), { schema: papersSchema(upserts[0]!.vector.length) });
        await t.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(data);
      }
      const t = await existing();
      if (!t) return;
      for (let i = 0; i < deletes.length; i += DELETE_CHUNK) {
        await t.delete(`id IN (${deletes.slice(i, i + DELETE_CHUNK).map(sqlString).join(', ')})`);
      }
    },
    async version() {
      const t = await existing();
      return t ? t.version() : null;
    },
    async rowsAt(version) {
      // A handle of its own: checking out a version pins it, and the writer's handle must stay on the latest.
      const pinned = await db.openTable(TABLE);
      try {
        await pinned.checkout(version);
        return await readTableRows(pinned);
      } finally {
        pinned.close();
      }
    },
    async count() {
      const t = await existing();
      return t ? t.countRows() : 0;
    },
    async optimize(keepMs) {
      await (await existing())?.optimize({ cleanupOlderThan: new Date(Date.now() - keepMs) });
    },
    close() {
      table?.close();
      db.close();
    },
  };
}
