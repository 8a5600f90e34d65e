// `npm run build`: compiles src/ and indexer/ to dist/ with tsc and copies the
// files tsc does not emit (page assets and the like) beside them. With
// --if-stale (npm's prestart) it builds only when the sources changed since
// the last build, judged by a hash of their contents, so a fresh clone's first
// `npm start` builds and later starts go straight to node.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.sources-hash');
const SOURCES = ['src', 'indexer'];
const CONFIG = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'scripts/build.mjs'];
const TSC = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : [p];
  });
}

function sourcesHash() {
  const hash = createHash('sha256');
  const all = [...SOURCES.flatMap((d) => files(path.join(root, d))), ...CONFIG.map((f) => path.join(root, f))].sort();
  for (const f of all) hash.update(path.relative(root, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  return hash.digest('hex');
}

const hash = sourcesHash();
if (process.argv.includes('--if-stale') && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) process.exit(0);

if (!fs.existsSync(TSC)) {
  console.error('building dist/ needs the TypeScript compiler, a dev dependency: run `npm ci` (not --omit=dev), or build where it is installed and copy dist/');
  process.exit(1);
}
console.error('building dist/ (tsc) ...');
// The stamp goes last: a build that stops half-way is redone by the next start.
fs.rmSync(dist, { recursive: true, force: true });
// Type errors are `npm run typecheck`'s business; the build only emits, so a start never waits on a full check.
execFileSync(process.execPath, [TSC, '-p', path.join(root, 'tsconfig.build.json'), '--noCheck'], { stdio: 'inherit' });
for (const dir of SOURCES) {
  for (const f of files(path.join(root, dir))) {
    if (/\.(ts|tsx)$/.test(f)) continue;
    const to = path.join(dist, path.relative(root, f));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(f, to);
  }
}
fs.writeFileSync(stamp, hash);
