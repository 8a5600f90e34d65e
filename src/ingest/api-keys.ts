import { createHash, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { PaperscopeError } from '../errors.ts';

/**
 * API keys for the write endpoints, from `API_KEYS` (comma-separated) and/or
 * `API_KEYS_FILE` (one key a line, `#` comments). The file is re-read whenever
 * it changes, so deleting a line revokes that key without a restart. Only
 * SHA-256 digests are kept in memory, and keys are compared digest to digest
 * with `timingSafeEqual` over every key, so neither the key nor its position
 * leaks through timing. Keys are never logged or put into errors.
 */
export interface ApiKeys {
  /** Throws UNAUTHORIZED without a bearer token, FORBIDDEN for a token that is not (or no longer) a key. */
  check(authorization: string | undefined): void;
}

export interface ApiKeysOptions {
  keys?: string[];
  file?: string | null;
}

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

function parseKeys(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
}

export function parseKeyList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((k) => k.trim()).filter(Boolean);
}

export function apiKeys(options: ApiKeysOptions): ApiKeys {
  const fixed = (options.keys ?? []).map(digest);
  let fromFile: Buffer[] = [];
  let seen = '';

  /** Re-reads the file when its size or mtime changed; a missing file means no keys from it (all revoked). */
  const fileKeys = (): Buffer[] => {
    if (!options.file) return [];
    let stamp: string;
    try {
      const stat = fs.statSync(options.file);
      stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch {
      return [];
    }
    if (stamp !== seen) {
      fromFile = parseKeys(fs.readFileSync(options.file, 'utf8')).map(digest);
      seen = stamp;
    }
    return fromFile;
  };

  return {
    check(authorization) {
      const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
      if (!match) throw new PaperscopeError('UNAUTHORIZED');
      const presented = digest(match[1]!);
      let valid = false;
      for (const key of [...fixed, ...fileKeys()]) valid = timingSafeEqual(presented, key) || valid;
      if (!valid) throw new PaperscopeError('FORBIDDEN');
    },
  };
}
