import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { readConfig } from '../../src/server/config.ts';
import { s3Storage } from '../../src/server/platform/storage/s3-storage.ts';
import { localFolderStorage, type FileStorage } from '../../src/server/platform/storage/storage.ts';
import { openTestDatabase, type TestDatabase } from '../setup/engines.ts';
import { call, createOrgWithStaff, signIn, type TestContext } from '../setup/harness.ts';
import { aReferral } from '../setup/referrals.ts';

const PDF = Buffer.from('%PDF-1.4\n% a small test file\n%%EOF\n');

const contract = (name: string, make: () => FileStorage) => {
  it(`${name}: stores, reads back and removes bytes exactly`, async () => {
    const storage = make();
    const key = `org-1/${Date.now()}-a.pdf`;
    await storage.put(key, PDF);
    expect((await storage.get(key)).equals(PDF)).toBe(true);
    await storage.remove(key);
    await expect(storage.get(key)).rejects.toThrow();
    await storage.remove(key);
  });
};

describe('file storage backends', () => {
  let server: S3rver;
  let s3dir: string;
  let folder: string;
  let endpoint: string;

  beforeAll(async () => {
    s3dir = mkdtempSync(join(tmpdir(), 'tandem-s3-'));
    folder = mkdtempSync(join(tmpdir(), 'tandem-files-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3dir, configureBuckets: [{ name: 'tandem-files', configs: [] }] });
    const address = await server.run();
    endpoint = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await server?.close();
    rmSync(s3dir, { recursive: true, force: true });
    rmSync(folder, { recursive: true, force: true });
  });

  contract('local folder', () => localFolderStorage(folder));
  contract('S3-compatible', () => s3Storage({ endpoint, bucket: 'tandem-files', region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }));

  it('the local folder refuses keys that would leave it', async () => {
    const storage = localFolderStorage(folder);
    await expect(storage.put('../escape.pdf', PDF)).rejects.toThrow(/bad storage key/);
    await expect(storage.get('org/../../etc/passwd')).rejects.toThrow(/bad storage key/);
  });

  it('an S3 error fails loudly with its code, not silently', async () => {
    const storage = s3Storage({ endpoint, bucket: 'no-such-bucket', region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    await expect(storage.put('org-1/x.pdf', PDF)).rejects.toThrow(/object storage write of org-1\/x.pdf failed: 404 NoSuchBucket/);
  });

  it('the app keeps uploaded documents in S3 when configured', async () => {
    const db: TestDatabase = await openTestDatabase();
    const config = readConfig({
      LOG_LEVEL: 'silent',
      TANDEM_AUTH_RATE_PER_MINUTE: '10000',
      TANDEM_S3_ENDPOINT: endpoint,
      TANDEM_S3_BUCKET: 'tandem-files',
      TANDEM_S3_ACCESS_KEY_ID: 'S3RVER',
      TANDEM_S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
    const app = await buildApp({ db: db.db, config, webDir: null });
    const ctx: TestContext = { db, app, config, close: async () => undefined };
    try {
      const org = await createOrgWithStaff(ctx, 'S3 Org');
      const worker = await signIn(app, org.users.case_worker.email);
      const r = (await call(app, worker, 'POST', '/api/referrals', { submission: aReferral() })).json();
      const caseId = (await call(app, worker, 'POST', `/api/referrals/${r.id}/decision`, { decision: 'accept', version: r.version })).json().caseId;
      const up = await app.inject({
        method: 'POST',
        url: `/api/cases/${caseId}/documents?fileName=letter.pdf`,
        headers: { cookie: worker.cookie, 'x-csrf-token': worker.csrf, 'content-type': 'application/pdf' },
        payload: PDF,
      });
      expect(up.statusCode, up.body).toBe(201);
      const down = await app.inject({ method: 'GET', url: `/api/documents/${up.json().id}`, headers: { cookie: worker.cookie } });
      expect(down.rawPayload.equals(PDF)).toBe(true);
    } finally {
      await app.close();
      await db.close();
    }
  });

  it('half an S3 configuration is a configuration error', () => {
    expect(() => readConfig({ TANDEM_S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(/go together/);
  });
});
