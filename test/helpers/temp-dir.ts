import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A fresh folder under the OS temp dir, removed when the test file ends. */
export async function tempDir(prefix = 'paperscope-'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}
