import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { PaperscopeError } from '../errors.ts';
import { withWriterLock } from '../store/writer-lock.ts';
import { assertKey, type ObjectStore } from './object-store.ts';

/** Like S3's ETag of a single-part object: the MD5 of the content. */
function etagOf(body: Buffer | string): string {
  return createHash('md5').update(body).digest('hex');
}

/** Bookkeeping beside the objects; its name starts with a dot, which no key may. */
const CAS_LOCK_DIR = '.cas';
/** Compare-and-swaps on one machine queue behind each other for at most this long. */
const CAS_WAIT_MS = 30_000;

/**
 * Objects as files under `root` (key `a/b` is `root/a/b`). Every write goes to a
 * temporary file first and is then renamed (or hard-linked, for a create that must
 * not replace) into place, so a reader never sees half an object and a killed
 * writer leaves only a temporary file. Compare-and-swap holds the writer lock of
 * `root/.cas` (src/store/writer-lock.ts: a dead holder's lock is taken over).
 */
export function localObjectStore(root: string): ObjectStore {
  const dir = path.resolve(root);
  const fileOf = (key: string) => {
    assertKey(key);
    return path.join(dir, ...key.split('/'));
  };
  const temp = async (file: string) => {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    return `${path.dirname(file)}/.${path.basename(file)}.${randomUUID()}.tmp`;
  };
  const writeTemp = async (file: string, body: Buffer | string) => {
    const tmp = await temp(file);
    await fsp.writeFile(tmp, body);
    return tmp;
  };
  const read = async (key: string) => {
    try {
      const body = await fsp.readFile(fileOf(key));
      return { body, etag: etagOf(body) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  };
  const put = async (key: string, body: Buffer | string) => {
    const file = fileOf(key);
    await fsp.rename(await writeTemp(file, body), file);
    return etagOf(body);
  };
  const walk = async (under: string): Promise<string[]> => {
    const entries = await fsp.readdir(path.join(dir, under), { withFileTypes: true }).catch((err) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    });
    const keys: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const key = under ? `${under}/${e.name}` : e.name;
      if (e.isDirectory()) keys.push(...(await walk(key)));
      else keys.push(key);
    }
    return keys;
  };

  const url = pathToFileURL(dir).href;
  const list = async (prefix: string) => {
    // Walk only the folder the prefix names, then filter the rest of it as a string prefix.
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    if (base) assertKey(base);
    return (await walk(base)).filter((k) => k.startsWith(prefix)).sort();
  };

  return {
    url,
    get: read,
    put,
    async putIfAbsent(key, body) {
      const file = fileOf(key);
      const tmp = await writeTemp(file, body);
      try {
        // link() fails with EEXIST when the name is taken: an atomic create-if-absent, whole content included.
        await fsp.link(tmp, file);
        return etagOf(body);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null;
        throw err;
      } finally {
        await fsp.rm(tmp, { force: true });
      }
    },
    async compareAndSwap(key, body, etag) {
      fileOf(key);
      return withWriterLock(path.join(dir, CAS_LOCK_DIR), { waitMs: CAS_WAIT_MS }, async () => {
        const now = await read(key);
        if (!now || now.etag !== etag) return null;
        return put(key, body);
      });
    },
    async upload(key, source) {
      const file = fileOf(key);
      const tmp = await temp(file);
      await fsp.copyFile(source, tmp);
      await fsp.rename(tmp, file);
    },
    async download(key, target) {
      try {
        await pipeline(fs.createReadStream(fileOf(key)), fs.createWriteStream(target));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new PaperscopeError('NOT_FOUND', `${url}: no object ${key}`, { key });
        throw err;
      }
    },
    list,
    async deletePrefix(prefix) {
      const keys = await list(prefix);
      for (const key of keys) await fsp.rm(fileOf(key), { force: true });
      // A whole folder (`builds/<id>/`) goes with its now empty sub-folders.
      if (prefix.endsWith('/') && keys.length) await fsp.rm(fileOf(prefix.slice(0, -1)), { recursive: true, force: true });
      return keys.length;
    },
    close() {},
  };
}
