import { XMLParser } from 'fast-xml-parser';
import { readArxivRecords } from '../../../indexer/readers/arxiv.ts';
import type { RawRecord } from '../../../indexer/readers/json.ts';
import type { FeedBatch } from './feed.ts';
import type { PoliteFetch } from './polite-fetch.ts';

export interface ArxivQuery {
  /** YYYY-MM-DD: records changed on or after this day. */
  from: string;
  /** An OAI set such as `cs` or `physics:hep-th`. */
  set?: string;
}

// Tag values stay strings: "0704.0010" must not become the number 704.001.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'record' || name === 'author',
});

type Xml = Record<string, any>;

const text = (node: unknown): string | undefined => {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'object') return (node as Xml)['#text'] ?? '';
  return String(node);
};

/**
 * arXiv's OAI-PMH `ListRecords` in the `arXiv` metadata format, following
 * resumption tokens until the list ends. Records become the metadata
 * snapshot's shape and go through the indexer's arxiv reader, so a feed paper
 * is normalised exactly like a snapshot paper; deleted records become deletes.
 */
export async function fetchArxiv(fetchText: PoliteFetch, baseUrl: string, query: ArxivQuery): Promise<FeedBatch> {
  const base = baseUrl.replace(/\/+$/, '');
  let url: string | null = `${base}?verb=ListRecords&metadataPrefix=arXiv&from=${encodeURIComponent(query.from)}${query.set ? `&set=${encodeURIComponent(query.set)}` : ''}`;
  const raw: RawRecord[] = [];
  const deleted: string[] = [];
  const datestamps = new Map<string, string>();
  let requests = 0;
  while (url) {
    const page = parser.parse(await fetchText(url))['OAI-PMH'] as Xml | undefined;
    requests++;
    if (!page) throw new Error(`${url}: not an OAI-PMH response`);
    if (page.error) {
      if (page.error['@code'] === 'noRecordsMatch') break;
      throw new Error(`${url}: OAI-PMH error ${page.error['@code']}: ${text(page.error)}`);
    }
    const list = page.ListRecords as Xml;
    for (const record of (list.record ?? []) as Xml[]) {
      const header = record.header ?? {};
      const id = String(text(header.identifier) ?? '').replace(/^oai:arXiv\.org:/, '');
      const datestamp = text(header.datestamp) ?? '';
      if (header['@status'] === 'deleted') {
        if (id) deleted.push(id);
        continue;
      }
      const m: Xml = record.metadata?.arXiv ?? {};
      if (id) datestamps.set(id, datestamp);
      raw.push({
        line: raw.length + 1,
        value: {
          id: text(m.id) ?? id,
          title: text(m.title),
          abstract: text(m.abstract),
          authors_parsed: ((m.authors?.author ?? []) as Xml[]).map((a) => [text(a.keyname) ?? '', text(a.forenames) ?? '', text(a.suffix) ?? '']),
          categories: text(m.categories),
          versions: m.created ? [{ created: text(m.created) }] : undefined,
          update_date: text(m.updated) ?? text(m.created),
        },
      });
    }
    const token = text(list.resumptionToken);
    url = token ? `${base}?verb=ListRecords&resumptionToken=${encodeURIComponent(token)}` : null;
  }
  const { papers, issues } = readArxivRecords({ records: raw, issues: [] }, `${base} (OAI-PMH)`);
  return { papers, deleted, issues, datestamps, requests };
}
