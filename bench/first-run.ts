/**
 * `npm run bench -- startup --first-run`: `npm start` in the repository on an
 * empty INDEX_DIR, as a person's first run on a fresh clone (the prestart
 * build of dist/ included when it is stale): seconds until the port answers,
 * until the first search answers with results, and until the whole sample is
 * served (no background indexing left); CPU seconds of the whole process tree
 * (npm, the build, the server and its threads, the background indexer) at each
 * point, and the machine's load average, since on a shared machine wall time
 * depends on the neighbours.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../src/config.ts';
import type { BenchArgs } from './run.ts';
import { processTreeCpu } from './process-cpu.ts';
import { freePort } from './server-process.ts';
import { round } from './stats.ts';

const SAMPLE_PAPERS = 2041;
const QUERY = 'papers like ULIP about 3D point clouds';
const POLL_MS = 250;

async function json(url: string): Promise<any> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

export async function firstRun(args: BenchArgs): Promise<Record<string, unknown>> {
  const indexDir = path.resolve(String(args.index ?? fs.mkdtempSync(path.join(os.tmpdir(), 'paperscope-first-run-'))));
  if (fs.existsSync(indexDir) && fs.readdirSync(indexDir).length) throw new Error(`${indexDir} is not empty: a first run needs an empty INDEX_DIR`);
  const timeoutS = Number(args.timeout ?? 3600);
  // `--until first_search` stops there (the whole sample can take long on a busy machine).
  const until = String(args.until ?? 'full_sample');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn('npm', ['start'], { cwd: REPO_ROOT, env: { ...process.env, INDEX_DIR: indexDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (d: Buffer) => (tail = (tail + d).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const cpu = processTreeCpu(child.pid!);
  const loads: number[] = [];
  const at = () => ({ s: round((performance.now() - started) / 1000, 1), cpu_s: round(cpu.cpuSeconds(), 1), load1: os.loadavg()[0] });
  const marks: Record<string, ReturnType<typeof at> & { papers?: number }> = {};
  const mark = (name: string, extra: { papers?: number } = {}) => {
    marks[name] = { ...at(), ...extra };
    console.error(`startup --first-run: ${name} ${JSON.stringify(marks[name])}`);
  };
  const checkpoints: { papers: number; s: number }[] = [];
  try {
    while (!marks[until]) {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${tail}`);
      if (performance.now() - started > timeoutS * 1000) throw new Error(`not done within ${timeoutS} s:\n${tail}`);
      cpu.sample();
      loads.push(os.loadavg()[0]);
      const health = await json(`${url}/health`);
      if (health && !marks.port_open) mark('port_open');
      if (health && !marks.first_search) {
        const answer = await json(`${url}/api/search?q=${encodeURIComponent(QUERY)}&k=5`);
        if (answer?.results?.length) mark('first_search', { papers: health.papers });
      }
      if (health && checkpoints.at(-1)?.papers !== health.papers) checkpoints.push({ papers: health.papers, s: at().s });
      if (health?.status === 'ok' && !health.indexing && health.papers === SAMPLE_PAPERS) mark('full_sample');
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  const exitCode = await exited;
  return {
    index_dir: indexDir,
    until,
    ...Object.fromEntries(Object.entries(marks).flatMap(([name, m]) => [[`${name}_s`, m.s], [`${name}_cpu_s`, m.cpu_s], [`${name}_load1`, m.load1]])),
    papers_at_first_search: marks.first_search.papers,
    served_counts: checkpoints,
    load1_mean: round(loads.reduce((a, b) => a + b, 0) / loads.length, 2),
    cores: os.availableParallelism(),
    sigterm_exit_code: exitCode,
    notes:
      'first_search_s = spawn of `npm start` (prestart build included) until a search returns results; full_sample_s = until /health reports 2,041 papers and no indexing; ' +
      'cpu_s = user + system CPU seconds of npm and every process under it (sampled every 250 ms); load1 = 1-minute load average at that moment',
  };
}
