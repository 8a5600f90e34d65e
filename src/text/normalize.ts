import { createHash } from 'node:crypto';
import type { Paper } from '../types.ts';

/** Slugs are cut at a word boundary at or below this length, so ids stay readable in URLs. */
const MAX_SLUG_LENGTH = 60;

/**
 * One line of clean text: sources wrap titles and abstracts at fixed widths
 * (arXiv) or pad them, and stray control characters break JSON logs and display.
 */
export function normalizeText(s: string): string {
  return s
    .normalize('NFC')
    .replace(/(?![\t\n\v\f\r])\p{Cc}/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The identity of a title for duplicate detection: the same paper arrives as
 * "ULIP-2: Towards ..." from one source and "ULIP-2 - towards ..." or with
 * LaTeX-decoded accents from another, so case, accents and punctuation are ignored.
 */
export function normalizeTitleKey(title: string): string {
  return normalizeText(title)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * A stable id for sources that have none: a readable slug plus a short hash of
 * the title key, so two titles sharing their first 60 characters still differ.
 */
export function deriveId(title: string): string {
  const key = normalizeTitleKey(title);
  const hash = createHash('sha1').update(key).digest('hex').slice(0, 6);
  const slug = slugify(key);
  return slug ? `${slug}-${hash}` : hash;
}

function slugify(key: string): string {
  const slug = key.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  if (slug.length <= MAX_SLUG_LENGTH) return slug;
  const cut = slug.slice(0, MAX_SLUG_LENGTH + 1);
  const boundary = cut.lastIndexOf('-');
  // A first word longer than the limit has no boundary to cut at.
  return boundary > 0 ? cut.slice(0, boundary) : slug.slice(0, MAX_SLUG_LENGTH);
}

/** Hash of exactly the text that gets embedded: a change here means the vector is stale. */
export function contentHash(paper: Pick<Paper, 'title' | 'abstract'>): string {
  const text = `${normalizeText(paper.title)}\n${normalizeText(paper.abstract)}`;
  return createHash('sha256').update(text).digest('hex');
}
