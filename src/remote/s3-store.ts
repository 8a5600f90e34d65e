import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { PaperscopeError } from '../errors.ts';
import { assertKey, type ObjectStore } from './object-store.ts';
import { s3Client, type S3Config } from './s3.ts';

/** The HTTP status of an SDK error, if it came from the server. */
function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/**
 * A conditional write the server refused: 412 (the condition failed) or 409
 * (AWS: another conditional write to the key is in progress; it wins or fails,
 * we do not); for `If-Match`, also 404 on a key that is gone (but not on a
 * missing bucket, which is a configuration error to report).
 */
function isConditionFailure(err: unknown, ifMatch: boolean): boolean {
  const status = statusOf(err);
  if (status === 404) return ifMatch && (err as Error).name !== 'NoSuchBucket';
  return status === 412 || status === 409;
}

/**
 * Radosgw 16.2 refuses `If-Match` with the quoted ETag that S3 returns and
 * accepts it bare; AWS S3 accepts it bare too, so the quotes are dropped.
 */
function bareEtag(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

/** Tries of a streamed upload or download. */
const STREAM_ATTEMPTS = 3;

/**
 * The SDK retries a request whose body it can replay, but not one streamed from
 * a file ("non-retryable streaming request"), nor a download that breaks midway;
 * a busy radosgw drops such connections now and then (socket hang up). Both are
 * whole-object PUTs or GETs, safe to repeat, so they are retried here with a
 * fresh stream; an answer from the server below 500 is final.
 */
async function retryStream<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const status = statusOf(err);
      if (attempt >= STREAM_ATTEMPTS || err instanceof PaperscopeError || (status !== undefined && status < 500)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

/** Deletes run a few at a time: one request per key works on every S3 (multi-object delete needs Content-MD5 on radosgw). */
const DELETE_CONCURRENCY = 8;

/** Objects in an S3 bucket (radosgw, MinIO, AWS) under `prefix`. */
export function s3ObjectStore(config: S3Config, prefix: string): ObjectStore {
  const client = s3Client(config);
  const root = prefix.replace(/^\/+|\/+$/g, '');
  const Bucket = config.bucket;
  const keyOf = (key: string) => {
    assertKey(key);
    return root ? `${root}/${key}` : key;
  };
  const send = async (input: PutObjectCommandInput) => bareEtag((await client.send(new PutObjectCommand(input))).ETag ?? '');
  const conditional = async (input: PutObjectCommandInput) => {
    try {
      return await send(input);
    } catch (err) {
      if (isConditionFailure(err, input.IfMatch !== undefined)) return null;
      throw err;
    }
  };
  const list = async (p: string) => {
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    const full = root ? `${root}/${p}` : p;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: full, ContinuationToken }));
      for (const o of page.Contents ?? []) if (o.Key) keys.push(root ? o.Key.slice(root.length + 1) : o.Key);
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return keys.sort();
  };

  return {
    url: `s3://${Bucket}${root ? `/${root}` : ''}`,
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(key) }));
        return { body: Buffer.from(await out.Body!.transformToByteArray()), etag: bareEtag(out.ETag ?? '') };
      } catch (err) {
        if (statusOf(err) === 404) return null;
        throw err;
      }
    },
    put: (key, body) => send({ Bucket, Key: keyOf(key), Body: body }),
    putIfAbsent: (key, body) => conditional({ Bucket, Key: keyOf(key), Body: body, IfNoneMatch: '*' }),
    compareAndSwap: (key, body, etag) => conditional({ Bucket, Key: keyOf(key), Body: body, IfMatch: bareEtag(etag) }),
    async upload(key, file) {
      // A stream with its length: one PUT (up to 5 GiB), never the whole file in memory.
      const { size } = await fsp.stat(file);
      await retryStream(() => send({ Bucket, Key: keyOf(key), Body: fs.createReadStream(file), ContentLength: size }));
    },
    async download(key, file) {
      await retryStream(async () => {
        let body: Readable;
        try {
          body = (await client.send(new GetObjectCommand({ Bucket, Key: keyOf(key) }))).Body as Readable;
        } catch (err) {
          if (statusOf(err) === 404) throw new PaperscopeError('NOT_FOUND', `s3://${Bucket}/${keyOf(key)}: no such object`, { key });
          throw err;
        }
        await pipeline(body, fs.createWriteStream(file));
      });
    },
    list,
    async deletePrefix(p) {
      const keys = await list(p);
      for (let i = 0; i < keys.length; i += DELETE_CONCURRENCY) {
        await Promise.all(keys.slice(i, i + DELETE_CONCURRENCY).map((k) => client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(k) }))));
      }
      return keys.length;
    },
    close: () => client.destroy(),
  };
}
