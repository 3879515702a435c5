import { AwsClient } from 'aws4fetch';
import type { FileStorage } from './storage.ts';

export type S3Options = { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string };

/**
 * Files in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, …), addressed path-style
 * (`<endpoint>/<bucket>/<key>`) so it works with stores that have no per-bucket host names. Requests are signed with
 * AWS Signature Version 4.
 */
export const s3Storage = (options: S3Options): FileStorage => {
  const client = new AwsClient({ accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey, service: 's3', region: options.region, retries: 2 });
  const urlOf = (key: string): string => `${options.endpoint.replace(/\/$/, '')}/${encodeURIComponent(options.bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const fail = async (what: string, key: string, response: Response): Promise<never> => {
    // The body is S3's XML error; its code is useful, its details are not for users.
    const code = /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1] ?? '';
    throw new Error(`object storage ${what} ${key} failed: ${response.status} ${code}`.trim());
  };
  return {
    put: async (key, bytes) => {
      const response = await client.fetch(urlOf(key), { method: 'PUT', body: new Uint8Array(bytes), headers: { 'content-type': 'application/octet-stream' } });
      if (!response.ok) await fail('write of', key, response);
    },
    get: async (key) => {
      const response = await client.fetch(urlOf(key), { method: 'GET' });
      if (!response.ok) await fail('read of', key, response);
      return Buffer.from(await response.arrayBuffer());
    },
    remove: async (key) => {
      const response = await client.fetch(urlOf(key), { method: 'DELETE' });
      if (!response.ok && response.status !== 404) await fail('removal of', key, response);
    },
  };
};
