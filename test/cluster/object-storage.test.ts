import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as lancedb from '@lancedb/lancedb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { lancedbStorageOptions, s3Client, s3Uri } from '../../src/remote/s3.ts';
import { s3ObjectStore } from '../../src/remote/s3-store.ts';
import { objectStoreContract } from '../helpers/object-store-contract.ts';

const { s3 } = inject('cluster');
const client = s3Client(s3);
afterAll(() => client.destroy());

describe('object storage on radosgw', () => {
  it('LanceDB writes a table at s3:// and another connection reads it back', async () => {
    const uri = s3Uri(s3, `test-${randomUUID()}/db`);
    const storageOptions = lancedbStorageOptions(s3);
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: `p${i}`, vector: [Math.cos(i), Math.sin(i), i / 50] }));
    const writer = await lancedb.connect(uri, { storageOptions });
    const table = await writer.createTable('papers', rows);
    await table.add([{ id: 'p50', vector: [1, 0, 1] }]);

    const reader = await lancedb.connect(uri, { storageOptions });
    const again = await reader.openTable('papers');
    expect(await again.countRows()).toBe(51);
    const nearest = await again.vectorSearch([1, 0, 1]).limit(1).toArray();
    expect(nearest[0].id).toBe('p50');
  });

  it('a conditional create (If-None-Match: *) succeeds once and answers 412 to the second writer', async () => {
    const Key = `test-${randomUUID()}/CURRENT`;
    const put = (body: string) => client.send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body: body, IfNoneMatch: '*' }));
    await put('first');
    const second = await put('second').then(
      () => null,
      (err) => err,
    );
    expect(second?.$metadata?.httpStatusCode).toBe(412);
    const stored = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key }));
    expect(await stored.Body!.transformToString()).toBe('first');
  });
});

describe('the object-store interface on radosgw (S3)', () => {
  objectStoreContract(async () => {
    const store = s3ObjectStore(s3, `test-${randomUUID()}`);
    afterAll(() => store.close());
    return store;
  });
});
