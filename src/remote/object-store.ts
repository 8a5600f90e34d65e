/**
 * Where published builds live when more than one machine serves them: a flat
 * key space (keys like `builds/<id>/manifest.json`, `CURRENT`) under one root,
 * with the two conditional writes a pointer needs (create if absent, replace if
 * unchanged). One implementation on a local folder (one machine, tests, a shared
 * mount) and one on S3 (src/remote/s3-store.ts); `openObjectStore` picks by URL.
 */
export interface StoredObject {
  body: Buffer;
  /** Changes whenever the object is written with other content; what `compareAndSwap` checks. */
  etag: string;
}

export interface ObjectStore {
  /** Where the keys live, e.g. `s3://bucket/prefix` or `file:///srv/builds` (never holds a secret). */
  readonly url: string;
  /** The object, or null when there is none. */
  get(key: string): Promise<StoredObject | null>;
  /** Writes unconditionally; resolves with the new ETag. */
  put(key: string, body: Buffer | string): Promise<string>;
  /** Writes only when the key does not exist; resolves with the new ETag, or null when it does (nothing written). */
  putIfAbsent(key: string, body: Buffer | string): Promise<string | null>;
  /** Writes only when the object's ETag is still `etag`; resolves with the new ETag, or null when it changed or is gone (nothing written). */
  compareAndSwap(key: string, body: Buffer | string, etag: string): Promise<string | null>;
  /** Streams a local file to `key` (large build files are never read whole). */
  upload(key: string, file: string): Promise<void>;
  /** Streams `key` to a local file; throws NOT_FOUND when there is no such object. */
  download(key: string, file: string): Promise<void>;
  /** Every key that starts with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Deletes every key that starts with `prefix`; resolves with how many were deleted. */
  deletePrefix(prefix: string): Promise<number>;
  close(): void;
}

/** Keys are relative, `/`-separated, without `.` or `..` parts: the local store maps them to paths under its root. */
export function assertKey(key: string): void {
  if (!key || key.startsWith('/') || key.split('/').some((part) => part === '' || part === '.' || part === '..' || part.startsWith('.'))) {
    throw new Error(`invalid object key ${JSON.stringify(key)}`);
  }
}
