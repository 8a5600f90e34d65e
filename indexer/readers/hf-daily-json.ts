import { z } from 'zod';
import { parseJsonArray } from './json.ts';
import { convertRecords, isoDate } from './records.ts';
import type { Reader } from './types.ts';

/** The Hugging Face daily papers API (/api/daily_papers): an array of entries wrapping an arXiv paper. */
const Entry = z.object({
  paper: z.object({
    id: z.string(),
    title: z.string(),
    summary: z.string().nullish(),
    authors: z.array(z.object({ name: z.string() })).nullish(),
    publishedAt: z.string().nullish(),
  }),
});

const name = 'hf-daily-json';

export const hfDailyJson: Reader<typeof name> = {
  name,
  detect: (head) => head.trimStart().startsWith('[') && /"paper"\s*:\s*\{/.test(head),
  read: (text, file, maxRecordBytes) =>
    convertRecords(parseJsonArray(text, file, maxRecordBytes), file, name, Entry, ({ paper }) => ({
      id: paper.id,
      title: paper.title,
      abstract: paper.summary,
      authors: paper.authors?.map((a) => a.name),
      date: isoDate(paper.publishedAt),
      url: `https://arxiv.org/abs/${paper.id}`,
    })),
};
