import { S3Client } from '@aws-sdk/client-s3';

/** Where the store of record and the published builds live, when the cluster path is used. */
export interface S3Config {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** From `S3_ENDPOINT`, `S3_REGION`, `S3_BUCKET`, `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`; null when no endpoint or bucket is set. */
export function s3ConfigFromEnv(env: NodeJS.ProcessEnv = process.env): S3Config | null {
  if (!env.S3_ENDPOINT || !env.S3_BUCKET) return null;
  return {
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION ?? 'us-east-1',
    bucket: env.S3_BUCKET,
    accessKeyId: env.S3_ACCESS_KEY_ID ?? '',
    secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? '',
  };
}

/**
 * Path-style addressing: radosgw (and most self-hosted S3) serves buckets under the endpoint's path.
 * Checksums only where the API requires them: by default the SDK sends a streamed body
 * as `aws-chunked` with a trailing CRC32, which radosgw 16.2 refuses (MissingContentLength).
 */
export function s3Client(s3: S3Config): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}

/** LanceDB's `storageOptions` for the same endpoint (object_store's keys). */
export function lancedbStorageOptions(s3: S3Config): Record<string, string> {
  return {
    aws_endpoint: s3.endpoint,
    aws_region: s3.region,
    aws_access_key_id: s3.accessKeyId,
    aws_secret_access_key: s3.secretAccessKey,
    allow_http: String(s3.endpoint.startsWith('http://')),
  };
}

/** `s3://bucket/prefix` for a LanceDB database under the bucket. */
export function s3Uri(s3: S3Config, prefix: string): string {
  return `s3://${s3.bucket}/${prefix.replace(/^\/+/, '')}`;
}
