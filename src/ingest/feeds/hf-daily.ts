import { hfDailyJson } from '../../../indexer/readers/hf-daily-json.ts';
import type { FeedBatch } from './feed.ts';
import type { PoliteFetch } from './polite-fetch.ts';

/** The Hugging Face daily papers API for one day, read by the indexer's `hf-daily-json` reader. */
export async function fetchHfDaily(fetchText: PoliteFetch, baseUrl: string, date: string): Promise<FeedBatch> {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/daily_papers?date=${encodeURIComponent(date)}`;
  const { papers, issues } = hfDailyJson.read(await fetchText(url), url);
  return { papers, deleted: [], issues, datestamps: new Map(papers.map((p) => [p.id, date])), requests: 1 };
}
