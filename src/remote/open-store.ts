import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PaperscopeError } from '../errors.ts';
import { localObjectStore } from './local-store.ts';
import type { ObjectStore } from './object-store.ts';
import { s3ObjectStore } from './s3-store.ts';

/**
 * The object store a URL names: `s3://bucket/prefix` (endpoint and keys from
 * `S3_ENDPOINT`, `S3_REGION`, `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`; the
 * bucket from the URL), or `file:///path` / a plain path for a local folder.
 */
export function openObjectStore(url: string, env: NodeJS.ProcessEnv = process.env): ObjectStore {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (s3) {
    if (!env.S3_ENDPOINT) {
      throw new PaperscopeError('INVALID_INPUT', `${url} needs S3_ENDPOINT (e.g. http://127.0.0.1:7480), and S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY`, {
        field: 'S3_ENDPOINT',
      });
    }
    const config = {
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION ?? 'us-east-1',
      bucket: s3[1]!,
      accessKeyId: env.S3_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? '',
    };
    return s3ObjectStore(config, s3[2]!);
  }
  if (url.startsWith('file://')) return localObjectStore(fileURLToPath(url));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new PaperscopeError('INVALID_INPUT', `unsupported object store URL ${url}: use s3://bucket/prefix, file:///path or a folder`, { field: 'url' });
  }
  return localObjectStore(path.resolve(url));
}
