/**
 * `npm run distill`: rebuilds the static model `use-lite-static` from the
 * npm-shipped USE-lite (src/embed/distill.ts) and writes the table and its
 * sidecar to assets/. The defaults are the committed model's settings; the
 * sidecar records the exact command, and the same command gives the same bytes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { documentText } from '../src/embed/create-embedder.ts';
import { distill } from '../src/embed/distill.ts';
import { encodeStaticTable, sha256 } from '../src/embed/static-file.ts';
import { STATIC_MODEL_FILES, type StaticMeta } from '../src/embed/use-lite-static.ts';
import { readInputs, SAMPLE_INPUTS } from '../indexer/readers/index.ts';

const program = new Command('npm run distill --')
  .description('Distil USE-lite into the static model use-lite-static (model2vec: vocabulary through the teacher, PCA, SIF weights)')
  .option('--dimension <n>', 'dimensions kept by PCA (512 keeps all)', (v) => Number.parseInt(v, 10), 512)
  .addOption(new Option('--weighting <source>', 'where piece frequencies come from: the tokenizer\'s unigram model, counts over the sample corpus in data/, or none').choices(['unigram', 'sample', 'none']).default('unigram'))
  .option('--a <a>', 'SIF constant: weight = a / (a + p(piece))', Number, 1e-3)
  .option('--out <dir>', 'folder for use-lite-static.bin and .json', path.dirname(STATIC_MODEL_FILES.table))
  .parse();
const o = program.opts<{ dimension: number; weighting: 'unigram' | 'sample' | 'none'; a: number; out: string }>();

const started = performance.now();
const texts = o.weighting === 'sample' ? (await readInputs(SAMPLE_INPUTS)).papers.map((p) => documentText(p)) : undefined;
const command = `npm run distill -- --dimension ${o.dimension} --weighting ${o.weighting}` + (o.weighting === 'none' ? '' : ` --a ${o.a}`);
const { table, meta } = await distill({ dimension: o.dimension, weighting: o.weighting, a: o.a, texts, command });
const bytes = encodeStaticTable(table);
const full: StaticMeta = { ...meta, table: { sha256: sha256(bytes), bytes: bytes.length } };
await fs.mkdir(o.out, { recursive: true });
const base = path.join(o.out, path.basename(STATIC_MODEL_FILES.table, '.bin'));
await fs.writeFile(`${base}.bin`, bytes);
await fs.writeFile(`${base}.json`, JSON.stringify(full, null, 2) + '\n');
console.error(`distilled ${meta.pieces_distilled} pieces to ${o.dimension}-d (PCA keeps ${(meta.pca.explained_variance * 100).toFixed(1)}% of the variance) in ${((performance.now() - started) / 1000).toFixed(1)} s: ${base}.bin (${bytes.length} bytes, sha256 ${full.table.sha256.slice(0, 8)}…)`);
