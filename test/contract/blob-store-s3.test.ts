import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createS3BlobStore, type S3BlobStore } from '../../src/adapters/blob-store-s3/index.js';
import { startS3, type TestS3 } from '../fixtures/scaled-services.js';
import { describeBlobStore } from './blob-store.suite.js';

let s3: TestS3;
before(async () => { s3 = await startS3(); });
after(async () => { await s3.stop(); });

const open = (s: TestS3, publicEndpoint?: string): S3BlobStore => createS3BlobStore({
  bucket: s.bucket, region: s.region, endpoint: s.endpoint, publicEndpoint, forcePathStyle: true,
  credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
});

describeBlobStore('S3 (s3rver)', async () => {
  const blobs = open(s3);
  return { blobs, close: async () => blobs.close() };
});

describe('S3 BlobStore: presigned result URLs', () => {
  it('downloads through a presigned URL until it expires, with the result\'s name and type', async () => {
    const blobs = open(s3);
    await blobs.put('results/t1.txt', Buffer.from('recognised text'));
    const url = await blobs.directUrl!('results/t1.txt', { expiresAt: Date.now() + 3600_000, filename: 't1.txt', contentType: 'text/plain; charset=utf-8' });
    assert.match(url, /X-Amz-Expires=3600/);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'recognised text');
    assert.match(res.headers.get('content-disposition') ?? '', /t1\.txt/);
    const expired = await blobs.directUrl!('results/t1.txt', { expiresAt: Date.now() + 1000, filename: 't1.txt', contentType: 'text/plain' });
    await new Promise((r) => setTimeout(r, 2100));
    assert.equal((await fetch(expired)).status, 403, 'refused once expired');
    blobs.close();
  });

  it('signs for the public endpoint when clients reach the store by another name', async () => {
    const blobs = open(s3, 'https://files.example.com');
    const url = await blobs.directUrl!('results/x.pdf', { expiresAt: Date.now() + 60_000, filename: 'x.pdf', contentType: 'application/pdf' });
    assert.ok(url.startsWith('https://files.example.com/docr-test/results/x.pdf?'), url);
    blobs.close();
  });
});
