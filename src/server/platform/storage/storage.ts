import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * Where uploaded files live. The database holds what a file is and who may see it; the bytes go here. A local
 * folder is the default (inside the data directory); an S3-compatible store is the path for several instances.
 */
export type FileStorage = {
  put: (key: string, bytes: Buffer) => Promise<void>;
  get: (key: string) => Promise<Buffer>;
  remove: (key: string) => Promise<void>;
};

const SAFE_KEY = /^[a-z0-9-]+(\/[a-z0-9.-]+)*$/;

export const localFolderStorage = (root: string): FileStorage => {
  const base = resolve(root);
  const pathOf = (key: string): string => {
    // Keys are made by Tandem (organisation id / random id); refuse anything that could climb out of the folder.
    if (!SAFE_KEY.test(key)) throw new Error(`bad storage key: ${key}`);
    const path = resolve(join(base, key));
    if (!path.startsWith(base + sep)) throw new Error(`bad storage key: ${key}`);
    return path;
  };
  return {
    put: async (key, bytes) => {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      // Write then rename would be atomic; writing with the exclusive flag at least never overwrites another file.
      await writeFile(path, bytes, { flag: 'wx', mode: 0o600 });
    },
    get: async (key) => readFile(pathOf(key)),
    remove: async (key) => rm(pathOf(key), { force: true }),
  };
};

/** The configured backend: S3-compatible object storage when configured, else the local folder. */
export const storageFor = async (config: { filesDir: string; s3: import('./s3-storage.ts').S3Options | null }): Promise<FileStorage> => {
  if (!config.s3) return localFolderStorage(config.filesDir);
  const { s3Storage } = await import('./s3-storage.ts');
  return s3Storage(config.s3);
};
