import type { SearchContext } from '../search/context.ts';
import type { SearchMode } from '../types.ts';
import type { SearchIndex } from '../store/load-index.ts';
import type { LoadedTopics } from './topic-files.ts';
import { PaperscopeError } from '../errors.ts';
import { search, type Interpretation } from '../search/search.ts';
import { groupResults } from './group-results.ts';
import { topicColour } from './palette.ts';
import { toHits } from '../search/hits.ts';
import { termWeights } from '../search/keyword-index.ts';
import { tokenize } from '../text/tokenize.ts';

/** How many of a topic's papers nearest its centroid stand for it in the topic list. */
export const REPRESENTATIVES = 5;

export interface PaperRef {
  id: string;
  title: string;
}

export interface TopicSummary {
  id: number;
  label: string;
  terms: string[];
  size: number;
  /** #rrggbb, the topic's colour on the map and its swatches. */
  colour: string;
  papers: PaperRef[];
}

const NO_TOPICS: LoadedTopics = { file: { chosenBy: 'silhouette', silhouette: null, topics: [] }, map: [], byId: new Map(), topicOf: new Map(), colours: [] };

function topicsOf(index: SearchIndex): LoadedTopics {
  return index.topics ?? NO_TOPICS;
}

function ref(index: SearchIndex, id: string): PaperRef {
  return { id, title: index.papers.title(index.labelOf.get(id)!) };
}

export function listTopics(index: SearchIndex): { topics: TopicSummary[] } {
  const { file, colours } = topicsOf(index);
  return {
    topics: file.topics.map(({ id, label, terms, size, members }) => ({
      id,
      label,
      terms,
      size,
      colour: colours[id],
      papers: members.slice(0, REPRESENTATIVES).map((m) => ref(index, m.id)),
    })),
  };
}

export function topicPapers(index: SearchIndex, id: number, k: number, offset: number) {
  const { byId, colours } = topicsOf(index);
  const topic = byId.get(id);
  if (!topic) throw new PaperscopeError('TOPIC_NOT_FOUND', `No topic with id ${id}`, { field: 'id', id });
  const terms = termWeights(tokenize(topic.terms.join(' ')));
  const labels = topic.members.slice(offset, offset + k).map((m) => index.labelOf.get(m.id)!);
  const matches = index.keyword.match(terms, (label) => labels.includes(label));
  return {
    topic: { id: topic.id, label: topic.label, terms: topic.terms, size: topic.size, colour: colours[id] },
    // Nearest the centre first; scored, like every result, by how much of the query (here the topic's terms) each paper holds.
    papers: toHits(index, labels, [...terms.keys()], (label) => matches.get(label)?.coverage ?? 0),
  };
}

/** The topic map: every paper's point with its topic and title, and the topic names for the legend. */
export function topicMap(index: SearchIndex) {
  const { file, map, colours } = topicsOf(index);
  return {
    topics: file.topics.map(({ id, label, size }) => ({ id, label, size, colour: colours[id] })),
    points: map.map(({ id, x, y, topic }) => ({ id, x, y, topic, title: index.papers.title(index.labelOf.get(id)!) })),
  };
}

/** Groups a ranked page of results (given as paper ids) into labelled sub-topics. */
export async function groupHits(
  ctx: SearchContext,
  ids: string[],
  query: string,
  signal?: AbortSignal,
): Promise<{ id: number; label: string; terms: string[]; ids: string[] }[]> {
  const { index } = ctx;
  return (await groupResults(ctx, ids.map((id) => index.labelOf.get(id)!), query, signal)).map(({ id, label, terms, labels }) => ({
    id,
    label,
    terms,
    ids: labels.map((l) => index.papers.id(l)),
  }));
}

/** "What are the approaches to X": the top n results of a search, clustered into labelled sub-topics. */
export async function queryTopics(
  ctx: SearchContext,
  q: string,
  n: number,
  mode: SearchMode,
  signal?: AbortSignal,
): Promise<{ topics: TopicSummary[]; interpretation: Interpretation }> {
  const { results, interpretation } = await search(ctx, { q, k: n, offset: 0, mode }, signal);
  const groups = await groupResults(ctx, results.map((r) => ctx.index.labelOf.get(r.id)!), interpretation.about || q, signal);
  return {
    topics: groups.map(({ id, label, terms, labels }) => ({
      id,
      label,
      terms,
      size: labels.length,
      colour: topicColour(id, groups.length),
      papers: labels.map((l) => ({ id: ctx.index.papers.id(l), title: ctx.index.papers.title(l) })),
    })),
    interpretation,
  };
}
