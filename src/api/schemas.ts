import { z } from '@hono/zod-openapi';
import { PAPER_ID_MAX_LENGTH } from '../types.ts';
import { STRONG, WEAK } from '../search/confidence.ts';
import { NEAR } from '../search/together.ts';

/** Limits that keep one request cheap. */
export const LIMITS = { maxK: 100, maxOffset: 1000, maxQueryLength: 500, maxIds: 50 } as const;

const k = z.coerce.number().int().min(1).max(LIMITS.maxK).default(10).openapi({ description: 'Number of results', example: 10 });
const mode = z.enum(['hybrid', 'semantic', 'keyword']).default('hybrid').openapi({ description: 'Ranking: keyword (BM25), semantic (vectors) or both fused' });
const year = z.coerce.number().int().min(1000).max(3000);

/** The filters and order shared by the API's search and the search page. */
const searchOptions = {
  offset: z.coerce.number().int().min(0).max(LIMITS.maxOffset).default(0),
  year_from: year.optional(),
  year_to: year.optional(),
  mode,
  sort: z.enum(['relevance', 'newest']).default('relevance').openapi({ description: 'newest: every matching paper (the total), newest first' }),
};

const yearsInOrder: [(v: { year_from?: number; year_to?: number }) => boolean, { message: string; path: string[] }] = [
  (v) => v.year_from === undefined || v.year_to === undefined || v.year_from <= v.year_to,
  { message: 'must not be after year_to', path: ['year_from'] },
];

export const SearchQuery = z
  .object({
    q: z.string().trim().min(1, 'must not be empty').max(LIMITS.maxQueryLength).openapi({ example: 'papers like ULIP about 3D point clouds' }),
    k,
    ...searchOptions,
    group: z.enum(['topics']).optional().openapi({ description: 'topics: also group the page of results into labelled sub-topics' }),
    correct: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((v) => v === 'true' || v === '1')
      .openapi({ description: 'false: search the words as typed, without correcting misspellings from the collection\'s vocabulary' }),
  })
  .refine(...yearsInOrder);

/** A blank form field arrives as "": the search page reads it as "not set". */
const blankIsUnset = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);

/** The search page's address: the same options; no q is the start page. */
export const SearchPageQuery = z
  .object({
    q: z.string().trim().max(LIMITS.maxQueryLength).default(''),
    offset: searchOptions.offset,
    year_from: blankIsUnset(year.optional()),
    year_to: blankIsUnset(year.optional()),
    mode,
    sort: searchOptions.sort,
    correct: z
      .enum(['0', '1'])
      .default('1')
      .transform((v) => v === '1'),
  })
  .refine(...yearsInOrder);

export const TopicsQuery = z.object({
  q: z.string().trim().min(1, 'must not be empty').max(LIMITS.maxQueryLength).optional().openapi({
    description: 'When given, the top n results of this query are grouped into sub-topics instead of listing the collection topics',
    example: 'what are the approaches to 3D point cloud understanding',
  }),
  n: z.coerce.number().int().min(2).max(LIMITS.maxK).default(50).openapi({ description: 'How many results of q to group' }),
  mode: z.enum(['hybrid', 'semantic', 'keyword']).default('hybrid'),
});

// The type is stated because a coerced number's input is "anything", which the generator would document as nullable.
export const TopicParam = z.object({ id: z.coerce.number().int().min(0).openapi({ param: { name: 'id', in: 'path', required: true }, type: 'integer', example: 0 }) });
export const TopicPageQuery = z.object({
  k: z.coerce.number().int().min(1).max(LIMITS.maxK).default(10),
  offset: z.coerce.number().int().min(0).max(LIMITS.maxOffset * 10).default(0).openapi({ type: 'integer' }),
});
export const PaperIdParam = z.object({
  id: z.string().min(1).max(PAPER_ID_MAX_LENGTH).openapi({ param: { name: 'id', in: 'path' }, example: '0704.0001' }),
});

export const SimilarQuery = z.object({ k, mode });

const format = z
  .enum(['json', 'bibtex', 'ris', 'csl'])
  .default('json')
  .openapi({ description: 'json: the paper as Paperscope stores it; bibtex, ris or csl (CSL-JSON): a citation to import into a reference manager' });

export const PaperFormatQuery = z.object({ format });

export const PaperListQuery = z.object({
  ids: z
    .string()
    .min(1)
    .transform((v) => [...new Set(v.split(',').map((id) => id.trim()).filter(Boolean))])
    .pipe(z.array(z.string().max(PAPER_ID_MAX_LENGTH)).min(1, 'needs at least one paper id').max(LIMITS.maxK))
    .openapi({ description: `Comma-separated paper ids, at most ${LIMITS.maxK}`, example: '0704.0001,0704.0002' }),
  format,
});

const paperId = z.string().min(1).max(PAPER_ID_MAX_LENGTH);
export const SimilarBody = z
  .object({
    positive: z.array(paperId).min(1, 'needs at least one paper id').max(LIMITS.maxIds),
    negative: z.array(paperId).max(LIMITS.maxIds).default([]),
    k,
    mode,
  })
  .strict();

const match = z.enum(['strong', 'weak', 'none']);

/** The same result fields in search, similar, related and topic papers. */
export const Hit = z
  .object({
    id: z.string(),
    title: z.string(),
    authors: z.array(z.string()),
    year: z.number().int().nullable(),
    date: z.string().nullable().openapi({ description: 'Publication date (YYYY-MM-DD, or as precise as the source gave it)' }),
    url: z.string().nullable(),
    snippet: z.string().openapi({ description: 'The passage of the abstract that best matches the query' }),
    score: z.number().min(0).max(1).openapi({
      description:
        'How much of the query the paper holds, 0–1, on the same scale in every endpoint: the share of the query terms\' weight × idf found in the paper (for similar papers, of the reference paper\'s distinctive terms). Results are ranked by a fusion of more signals, so scores need not decrease down the list.',
    }),
    match: match.openapi({ description: `strong: score ≥ ${STRONG} and two words that follow each other in the query found at most ${NEAR} words apart in the paper (any match of a one-word or paper-to-paper query); weak: score ≥ ${WEAK}; none: below` }),
  })
  .openapi('Hit');

const PaperRef = z.object({ id: z.string(), title: z.string() });

export const SearchResponse = z
  .object({
    results: z.array(Hit),
    total: z.number().int().openapi({ description: 'Papers that match well enough to be shown (match strong or weak); paging ends there' }),
    total_is_estimate: z.boolean().openapi({ description: 'True when total is an estimate rather than an exact count' }),
    match: match.openapi({ description: "The answer's confidence: the best match among its first ten results. weak: no strong match, these are the closest papers; none: nothing matches" }),
    interpretation: z.object({
      mode,
      like: z.array(PaperRef),
      about: z.string().openapi({ description: 'The topic searched for, without wrapper words ("how do …", "papers about …")' }),
      unresolved: z.array(z.string()).openapi({ description: 'Paper names that matched no paper; only the topic was searched' }),
      note: z.string().nullable(),
      corrected: z.string().optional().openapi({ description: 'The query with misspelt words corrected from the collection\'s vocabulary; absent when nothing was corrected' }),
      terms: z.array(z.string()).openapi({ description: 'The terms matched (stemmed, without filler words): what results are scored and highlighted by' }),
    }),
    took_ms: z.number(),
    groups: z.array(z.object({ id: z.number().int(), label: z.string(), terms: z.array(z.string()), ids: z.array(z.string()) })).optional(),
  })
  .openapi('SearchResponse');

export const SimilarResponse = z
  .object({
    results: z.array(Hit),
    interpretation: z.object({ mode, positive: z.array(PaperRef), negative: z.array(PaperRef) }),
    took_ms: z.number(),
  })
  .openapi('SimilarResponse');

export const PaperResponse = z
  .object({
    id: z.string(),
    title: z.string(),
    abstract: z.string(),
    authors: z.array(z.string()),
    year: z.number().int().nullable(),
    date: z.string().nullable(),
    categories: z.array(z.string()),
    url: z.string().nullable(),
  })
  .openapi('Paper');

export const PaperListResponse = z.object({ papers: z.array(PaperResponse) }).openapi('PaperList');

export const StatsResponse = z
  .object({
    papers: z.number().int(),
    model: z.string(),
    dimension: z.number().int(),
    index: z.object({ space: z.string(), m: z.number(), efConstruction: z.number(), efSearch: z.number() }),
    built_at: z.string(),
    format_version: z.number().int(),
    build: z.string().openapi({ description: 'The serving build (its folder name under INDEX_DIR/builds)' }),
    serving_since: z.string().openapi({ description: 'When this server started answering from the build' }),
    indexing: z
      .object({
        done: z.number().int().openapi({ description: 'papers embedded so far' }),
        total: z.number().int().nullable().openapi({ description: 'papers to embed (null while the inputs are read)' }),
        stage: z.string().openapi({ description: 'reading, embedding, or a build step (topics, map)' }),
      })
      .optional()
      .openapi({ description: 'present while a background indexer is adding papers (the first `npm start`)' }),
  })
  .openapi('Stats');

export const ErrorResponse = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
  })
  .openapi('Error');

export const errorResponses = {
  400: { description: 'Invalid input', content: { 'application/json': { schema: ErrorResponse } } },
  404: { description: 'Not found', content: { 'application/json': { schema: ErrorResponse } } },
} as const;
