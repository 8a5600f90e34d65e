import type { Citable } from './citable.ts';
import { splitName } from './citable.ts';

/** RIS names are "Family, Given". */
function risName(name: string): string {
  const parts = splitName(name);
  return parts ? `${parts.family}, ${parts.given}` : name;
}

/** RIS lines are "TAG  - value", one field a line; the format asks for CRLF line ends. */
const line = (tag: string, value: string) => `${tag}  - ${value.replace(/\s+/g, ' ')}\r\n`;

function record({ paper, dateParts, arxivId, url }: Citable): string {
  let out = line('TY', arxivId ? 'UNPB' : 'GEN');
  out += line('TI', paper.title);
  for (const a of paper.authors) out += line('AU', risName(a));
  if (dateParts[0]) out += line('PY', String(dateParts[0]));
  if (dateParts.length) out += line('DA', `${dateParts.map((p) => String(p).padStart(2, '0')).join('/')}/`);
  if (paper.abstract) out += line('AB', paper.abstract);
  for (const k of paper.categories) out += line('KW', k);
  if (url) out += line('UR', url);
  if (arxivId) out += line('L1', `https://arxiv.org/pdf/${arxivId}`) + line('DB', 'arXiv') + line('AN', `arXiv:${arxivId}`);
  return out + line('ER', '');
}

/** RIS (Research Information Systems), the format EndNote, Zotero and Mendeley import. */
export function toRis(papers: Citable[]): string {
  return papers.map(record).join('');
}
