import os from 'node:os';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfig } from '../src/config.ts';
import { PaperscopeError } from '../src/errors.ts';
import { FORMATS, SAMPLE_INPUTS, type FormatName, type ReadIssue } from './readers/index.ts';
import { DEFAULT_INPUT_LIMITS } from './readers/input-limits.ts';
import { recoverIndex } from './recover.ts';
import { runIndexer, type IndexOptions, type IndexSummary, type ProgressEvent } from './pipeline.ts';

/** Progress on stderr: a live bar on a terminal, a line per 10% elsewhere (CI logs). */
export function progressReporter(): (e: ProgressEvent) => void {
  let bar: cliProgress.SingleBar | null = null;
  let started = 0;
  let lastDecile = -1;
  return (e) => {
    if (e.stage === 'embed-start') {
      started = performance.now();
      if (process.stderr.isTTY) {
        bar = new cliProgress.SingleBar(
          { format: 'embedding |{bar}| {value}/{total} papers | {rate} papers/s | ETA {eta_formatted}', stream: process.stderr, etaBuffer: 50 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(e.total, 0, { rate: '0.0' });
      } else {
        console.error(`embedding ${e.total} papers`);
      }
    } else if (e.stage === 'embed') {
      const rate = (e.done / ((performance.now() - started) / 1000)).toFixed(1);
      if (bar) bar.update(e.done, { rate });
      else if (Math.floor((10 * e.done) / e.total) > lastDecile) {
        lastDecile = Math.floor((10 * e.done) / e.total);
        const eta = ((e.total - e.done) / Number(rate)).toFixed(0);
        console.error(`  ${e.done}/${e.total} papers, ${rate} papers/s, ETA ${eta} s`);
      }
    } else if (e.stage === 'embed-end') {
      bar?.stop();
    } else if (e.stage === 'waiting') {
      console.error(`waiting for the other writer of this index to finish: ${e.holder}`);
    } else {
      console.error(`computing ${e.name}`);
    }
  };
}

export function printSummary(s: IndexSummary): void {
  const where = (i: ReadIssue) => `${i.file}${i.line ? `:${i.line}` : ''}${i.record ? ` (${i.record.slice(0, 80)})` : ''}`;
  for (const issue of s.issues) console.error(`skipped ${where(issue)}: ${issue.reason}`);
  for (const warning of s.warnings) console.error(`warning ${where(warning)}: ${warning.reason}`);
  const state = s.buildDir ? `index written to ${s.buildDir}` : 'index already up to date, nothing written';
  console.error(
    `read ${s.read} · indexed ${s.indexed} · skipped ${s.skipped} · duplicates ${s.duplicates} · unchanged ${s.unchanged} · embedded ${s.embedded}` +
      (s.kept ? ` · kept ${s.kept}` : '') +
      (s.pruned ? ` · pruned ${s.pruned}` : '') +
      ` in ${s.seconds.toFixed(1)} s; ${state}`,
  );
}

export async function main(argv: string[]): Promise<void> {
  const config = loadConfig();
  const program = new Command()
    .name('npm run index --')
    .description('Index papers for Paperscope. With no files, indexes the sample corpus in data/.')
    .argument('[files...]', 'input files (format detected from content)')
    .option('--out <dir>', 'index folder', config.indexDir)
    .addOption(new Option('--format <format>', 'force the input format').choices(FORMATS))
    .option('--model <model>', 'embedding model: use-lite, use-lite-static (distilled, fast), lsa (learned from the corpus), a local ONNX folder or a hub id', config.model)
    .option('--prune', 'remove papers that are no longer in the inputs', false)
    .option('--refit', 'with --model lsa: refit the model on all papers instead of folding new ones in', false)
    .option('--workers <n>', 'embedding threads', (v) => Number.parseInt(v, 10), Math.max(1, os.availableParallelism()))
    .option('--topics <k>', 'number of topics (default: chosen automatically)', (v) => Number.parseInt(v, 10))
    .option('--json', 'print the summary as JSON on stdout', false)
    .option('--wait <seconds>', 'wait this long for another indexer writing the same folder', (v) => Number(v) * 1000, config.lockWaitMs)
    .option('--keep-builds <n>', 'published builds to keep (builds a running server serves are always kept)', (v) => Number.parseInt(v, 10), config.keepBuilds)
    .option('--max-record-bytes <n>', 'skip records whose text is larger (bytes)', (v) => Number.parseInt(v, 10), Number(process.env.INDEX_MAX_RECORD_BYTES ?? DEFAULT_INPUT_LIMITS.maxRecordBytes))
    .option('--max-abstract-chars <n>', 'truncate longer abstracts (characters)', (v) => Number.parseInt(v, 10), Number(process.env.INDEX_MAX_ABSTRACT_CHARS ?? DEFAULT_INPUT_LIMITS.maxAbstractChars))
    .option('--checkpoint-every <n>', 'publish a build after every N papers embedded, so that a stopped run resumes from there (0: at the end only)', (v) => Number.parseInt(v, 10), 0)
    .option('--recover', 'publish the newest complete build that loads (for a folder with builds but no valid CURRENT), then stop', false)
    .parse(argv);
  const o = program.opts();
  if (o.recover) {
    const { published, refused } = await recoverIndex(o.out, o.wait);
    for (const r of refused) console.error(`not published ${r.build}: ${r.reason}`);
    console.error(`published ${published} in ${o.out}`);
    return;
  }
  const files: string[] = program.args.length ? program.args : SAMPLE_INPUTS;
  const options: IndexOptions = {
    inputs: files,
    format: o.format as FormatName | undefined,
    indexDir: o.out,
    model: o.model,
    modelsDir: config.modelsDir,
    allowRemote: config.allowRemoteModels,
    prune: o.prune,
    refit: o.refit,
    workers: o.workers,
    steps: { topics: o.topics },
    onProgress: progressReporter(),
    waitMs: o.wait,
    limits: { maxRecordBytes: o.maxRecordBytes, maxAbstractChars: o.maxAbstractChars },
    keepBuilds: o.keepBuilds,
    checkpointEvery: o.checkpointEvery,
  };
  // Started by `npm start` to index in the background: progress goes to the server too, which reports it,
  // and the run stops with the server (even a killed one: the IPC channel closes). Its published
  // checkpoints stay; the writer lock it leaves is a dead process's, which the next writer takes over.
  const stopWithServer = () => process.exit(1);
  if (process.send) {
    const report = options.onProgress!;
    options.onProgress = (e) => (report(e), process.send?.(e));
    process.once('disconnect', stopWithServer);
  }
  const summary = await runIndexer(options);
  // A 'disconnect' listener keeps the IPC channel, and so the process, alive: let go once done, or the finished
  // child would idle forever and the server would report the sample as still indexing.
  if (process.send) {
    process.off('disconnect', stopWithServer);
    process.disconnect();
  }
  printSummary(summary);
  if (o.json) console.log(JSON.stringify({ ...summary, issues: summary.issues.length, warnings: summary.warnings.length }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv).catch((err) => {
    console.error(err instanceof PaperscopeError ? `error (${err.code}): ${err.message}` : err);
    process.exit(1);
  });
}
