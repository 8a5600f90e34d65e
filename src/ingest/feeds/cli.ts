/**
 * `npm run ingest -- hf-daily --date YYYY-MM-DD` and
 * `npm run ingest -- arxiv [--from YYYY-MM-DD] [--set cs]`: fetch a feed and
 * queue its new or changed papers exactly as `POST /api/papers` does (the
 * local journal, or BullMQ with REDIS_URL). With the local queue the command
 * also applies them (one incremental rebuild) before it exits.
 */
import path from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { logger } from '../../logger.ts';
import { openQueue } from '../open-ingest.ts';
import type { IngestQueue } from '../queue.ts';
import type { JobRef } from '../jobs.ts';
import { fetchArxiv } from './arxiv-oai.ts';
import { fetchHfDaily } from './hf-daily.ts';
import { politeFetch, type PoliteFetch } from './polite-fetch.ts';
import { runFeed, type FeedSummary } from './run-feed.ts';

const int = (v: string) => Number.parseInt(v, 10);

function fetcher(o: { delayMs: number; retries: number }): PoliteFetch {
  return politeFetch({
    delayMs: o.delayMs,
    retries: o.retries,
    backoffMs: 2000,
    onRetry: ({ url, status, waitMs, attempt }) => logger.warn({ url, status, waitMs, attempt }, 'feed: retrying'),
  });
}

/** The local queue applies jobs in this process: wait for them before exiting. */
async function settle(queue: IngestQueue, jobs: JobRef[]): Promise<void> {
  if (queue.kind !== 'local') return;
  for (const job of jobs) {
    for (;;) {
      const state = (await queue.status(job.id))?.state;
      if (state === 'done' || state === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function ingest(run: (queue: IngestQueue, stateDir: string) => Promise<FeedSummary>): Promise<void> {
  const config = loadConfig();
  const queue = await openQueue(config, logger);
  try {
    const summary = await run(queue, path.join(config.indexDir, 'ingest'));
    for (const issue of summary.issues) console.error(`skipped ${issue.file}${issue.line ? ` record ${issue.line}` : ''}${issue.record ? ` (${issue.record})` : ''}: ${issue.reason}`);
    await settle(queue, summary.jobs);
    console.error(`fetched ${summary.fetched} in ${summary.requests} requests · queued ${summary.queued} · unchanged ${summary.unchanged} · deleted ${summary.deleted} · skipped ${summary.skipped}; next run starts at ${summary.until ?? '-'}`);
    console.log(JSON.stringify({ ...summary, issues: summary.issues.length, jobs: summary.jobs.length }));
  } finally {
    await queue.close();
  }
}

const program = new Command().name('npm run ingest --').description('Fetch papers from a feed and queue them like POST /api/papers');
program
  .command('hf-daily')
  .description('the Hugging Face daily papers of one day')
  .requiredOption('--date <date>', 'YYYY-MM-DD')
  .option('--base-url <url>', 'API origin', process.env.HF_BASE_URL ?? 'https://huggingface.co')
  .option('--delay-ms <ms>', 'at least this long between requests', int, 1000)
  .option('--retries <n>', 'retries on 429, 5xx and network errors', int, 5)
  .action((o) => ingest((queue, dir) => runFeed(dir, `hf-daily:${o.date}`, () => fetchHfDaily(fetcher(o), o.baseUrl, o.date), queue.submit)));
program
  .command('arxiv')
  .description('arXiv OAI-PMH ListRecords (arXiv metadata format) since a day; without --from, since the last run')
  .option('--from <date>', 'YYYY-MM-DD (default: where the last run stopped)')
  .option('--set <set>', 'OAI set, e.g. cs or physics:hep-th')
  .option('--base-url <url>', 'OAI-PMH endpoint', process.env.ARXIV_OAI_URL ?? 'https://oaipmh.arxiv.org/oai')
  // arXiv asks harvesters for one request every 3 seconds.
  .option('--delay-ms <ms>', 'at least this long between requests', int, 3000)
  .option('--retries <n>', 'retries on 429, 5xx and network errors', int, 5)
  .action((o) =>
    ingest((queue, dir) =>
      runFeed(
        dir,
        `arxiv:${o.set ?? 'all'}`,
        (cursor) => {
          const from = o.from ?? cursor?.until;
          if (!from) throw new Error('no earlier run to continue from: give --from YYYY-MM-DD');
          return fetchArxiv(fetcher(o), o.baseUrl, { from, set: o.set });
        },
        queue.submit,
      ),
    ),
  );

program.parseAsync(process.argv).catch((err) => {
  console.error(`error: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
