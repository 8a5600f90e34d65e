import { WORD, tokenize } from '../text/tokenize.ts';

/**
 * Class-based TF-IDF labels: the phrases (1 to 3 words) that are frequent inside
 * a cluster and rare in the others. Phrases are counted once per paper, so one
 * paper repeating its own name cannot label a topic, and they never cross
 * punctuation. Stems come from the shared tokenizer (so "clouds" and "cloud"
 * are one term); the label shows the form authors wrote most often.
 */
export interface TopicLabel {
  label: string;
  terms: string[];
}

export interface LabelDoc {
  title: string;
  abstract: string;
}

export interface LabelOptions {
  /** Stems that must not label a topic on their own (e.g. a query's own words). */
  exclude?: Set<string>;
  terms?: number;
}

/**
 * Words every field uses to talk about its work; a label starting or ending
 * with one ("let", "previous state-of-the-art", "observed") names no topic.
 */
const FILLER = new Set(
  `let prove proof show give given consider construct particular general study studies observed report investigate achieve achieves
integrated previous code different make find rely broad hinder improve improves insights obtain obtained discuss describe known well
case cases first second found effect effects recent various several important possible present presents provide provides allow
include additional high low large small main many simple due respect corresponding related certain strong able usual typical
compare compared performance demonstrate demonstrates significant significantly novel effective efficient existing key
furthermore moreover respectively finally addition sufficient necessary condition conditions numerical example examples experimental`
    .split(/\s+/)
    .flatMap((w) => tokenize(w)),
);

const MAX_PHRASE = 3;
/** A longer phrase beats its parts when nearly as distinctive ("point cloud" over "cloud"). */
const PHRASE_BONUS = 0.15;
/**
 * The label is one phrase: the one most of the topic's papers use (coverage)
 * and few papers outside it do (precision), with each extra word counting
 * LABEL_PHRASE_BONUS more, since "magnetic field" names a topic where
 * "magnetic" does not; used by at least LABEL_MIN_SHARE of the topic's papers.
 */
const LABEL_PHRASE_BONUS = 1.5;
const LABEL_MIN_SHARE = 0.05;
/** How distinctive a longer phrase must be, relative to the term it contains, to replace it. */
const SUBSUME = 0.5;
const DEFAULT_TERMS = 8;

interface Phrase {
  key: string;
  stems: string[];
}

interface Ranked {
  phrase: Phrase;
  /** Class-based TF-IDF: how typical of the topic, and how rare elsewhere (orders the terms). */
  score: number;
  /** Coverage × precision with a bonus per word (chooses the label); 0 when too few of the topic's papers use it. */
  labelScore: number;
}

const SEGMENT = /[.,;:!?()[\]{}"“”|]+/;
/** Links to code ("github.com/salesforce/ULIP") would otherwise yield phrases. */
const LINK = /\S*(?:https?:\/\/|www\.|github\.com)\S*/gi;
/** Math and LaTeX commands ("$\mathcal{O}(n)$", "\infty") are notation, not words a topic is named by. */
const LATEX = /\$\$[^$]*\$\$|\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]|\\[a-zA-Z]+\*?(?:\{[^}]*\})?/gs;
/** Text styling keeps its words: "\emph{dark matter}" is "dark matter". */
const LATEX_TEXT = /\\(?:emph|text[a-z]*)\{([^}]*)\}/g;

/** stem of one written word (the whole form for hyphenated names), null for stop words. */
function stemOf(cache: Map<string, string | null>, word: string): string | null {
  let stem = cache.get(word);
  if (stem === undefined) {
    stem = tokenize(word)[0] ?? null;
    // Numbers and single letters (variables, "et al." debris) name nothing.
    if (stem !== null && (/^\d+$/.test(stem) || stem.length < 2)) stem = null;
    cache.set(word, stem);
  }
  return stem;
}

function phrasesOf(text: string, cache: Map<string, string | null>, surface: Map<string, Map<string, number>>, casing: Casing): Map<string, Phrase> {
  const found = new Map<string, Phrase>();
  for (const segment of text.replace(LINK, '.').replace(LATEX_TEXT, '$1').replace(LATEX, '.').split(SEGMENT)) {
    const run: { stem: string; written: string }[] = [];
    const flush = () => {
      for (let i = 0; i < run.length; i++) {
        for (let n = 1; n <= MAX_PHRASE && i + n <= run.length; n++) {
          const part = run.slice(i, i + n);
          const stems = part.map((w) => w.stem);
          const key = stems.join(' ');
          found.set(key, { key, stems });
          const forms = surface.get(key) ?? new Map<string, number>();
          const written = part.map((w) => w.written).join(' ');
          forms.set(written, (forms.get(written) ?? 0) + 1);
          surface.set(key, forms);
        }
      }
      run.length = 0;
    };
    for (const m of segment.matchAll(WORD)) {
      const stem = stemOf(cache, m[0]);
      if (stem === null) flush();
      else {
        run.push({ stem, written: m[0] });
        noteCasing(casing, m[0]);
      }
    }
    flush();
  }
  return found;
}

/** Forms seen for each written word, to undo title case ("Point Clouds") but keep names ("ModelNet40", "3D"). */
type Casing = Map<string, Map<string, number>>;

function noteCasing(casing: Casing, written: string): void {
  const lower = written.toLowerCase();
  const forms = casing.get(lower) ?? new Map<string, number>();
  forms.set(written, (forms.get(written) ?? 0) + 1);
  casing.set(lower, forms);
}

/** A word seen in lower case somewhere is a common word; otherwise its most frequent form is a name. */
function caseWord(casing: Casing, lower: string): string {
  const forms = casing.get(lower);
  if (!forms || forms.has(lower)) return lower;
  return [...forms].sort((a, b) => b[1] - a[1])[0][0];
}

/** The most frequent wording of a phrase ("point clouds" or "point cloud"), cased word by word. */
function displayForm(forms: Map<string, number>, casing: Casing): string {
  const lowered = new Map<string, number>();
  for (const [form, count] of forms) lowered.set(form.toLowerCase(), (lowered.get(form.toLowerCase()) ?? 0) + count);
  const [best] = [...lowered].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return best.split(' ').map((w) => caseWord(casing, w)).join(' ');
}

const overlaps = (a: string[], b: string[]) => a.some((s) => b.includes(s));
const contains = (long: string[], short: string[]) => long.join(' ').includes(short.join(' ')) && long.length > short.length;

/**
 * The top terms, no two sharing a word. A phrase that contains an already
 * picked term and is at least SUBSUME as distinctive takes its place
 * ("dark matter" for "matter", "point cloud learning" for "point cloud"), so
 * that terms are the phrases authors write rather than their scattered words.
 */
function pickTerms(ranked: Ranked[], count: number): Phrase[] {
  const picked: Ranked[] = [];
  for (const candidate of ranked) {
    const clashes = picked.filter((p) => overlaps(p.phrase.stems, candidate.phrase.stems));
    if (!clashes.length) {
      if (picked.length < count) picked.push(candidate);
      continue;
    }
    const [held] = clashes;
    if (clashes.length === 1 && contains(candidate.phrase.stems, held.phrase.stems) && candidate.score >= SUBSUME * held.score) {
      picked[picked.indexOf(held)] = { ...candidate, score: held.score };
    }
  }
  return picked.map((p) => p.phrase);
}

export function labelClusters(docs: LabelDoc[], assignments: number[], k: number, options: LabelOptions = {}): TopicLabel[] {
  const exclude = options.exclude ?? new Set<string>();
  const cache = new Map<string, string | null>();
  const surface = new Map<string, Map<string, number>>();
  const casing: Casing = new Map();
  const phrases = new Map<string, Phrase>();
  const inCluster = Array.from({ length: k }, () => new Map<string, number>());
  const overall = new Map<string, number>();
  const sizes = new Array<number>(k).fill(0);

  docs.forEach((doc, i) => {
    const c = assignments[i];
    sizes[c]++;
    for (const [key, phrase] of phrasesOf(`${doc.title}. ${doc.abstract}`, cache, surface, casing)) {
      phrases.set(key, phrase);
      inCluster[c].set(key, (inCluster[c].get(key) ?? 0) + 1);
      overall.set(key, (overall.get(key) ?? 0) + 1);
    }
  });

  const termsOf = inCluster.map((counts, c) => {
    // A term shared by a single paper describes that paper, not the topic.
    const minDocs = sizes[c] >= 4 ? 2 : 1;
    const ranked: Ranked[] = [];
    for (const [key, df] of counts) {
      const phrase = phrases.get(key)!;
      if (df < minDocs || phrase.stems.every((s) => exclude.has(s))) continue;
      if (FILLER.has(phrase.stems[0]) || FILLER.has(phrase.stems[phrase.stems.length - 1])) continue;
      if (phrase.stems.length === 1 && phrase.stems[0].length < 3) continue;
      const coverage = df / sizes[c];
      const score = coverage * Math.log(1 + docs.length / overall.get(key)!) * (1 + PHRASE_BONUS * (phrase.stems.length - 1));
      const labelScore = df >= LABEL_MIN_SHARE * sizes[c] ? coverage * (df / overall.get(key)!) * (1 + LABEL_PHRASE_BONUS * (phrase.stems.length - 1)) : 0;
      ranked.push({ phrase, score, labelScore });
    }
    ranked.sort((a, b) => b.score - a.score || b.phrase.stems.length - a.phrase.stems.length || (a.phrase.key < b.phrase.key ? -1 : 1));
    return ranked;
  });

  // Largest topics choose first; a label another topic already holds goes to its next candidate.
  const taken = new Set<string>();
  const labels: string[] = [];
  for (const c of [...sizes.keys()].sort((a, b) => sizes[b] - sizes[a] || a - b)) {
    const candidates = termsOf[c].filter((r) => r.labelScore > 0).sort((a, b) => b.labelScore - a.labelScore);
    const choice = candidates.map((r) => displayForm(surface.get(r.phrase.key)!, casing)).find((l) => !taken.has(l.toLowerCase()));
    labels[c] = choice ?? '';
    if (choice) taken.add(choice.toLowerCase());
  }

  return termsOf.map((ranked, c) => {
    const terms = pickTerms(ranked, options.terms ?? DEFAULT_TERMS).map((p) => displayForm(surface.get(p.key)!, casing));
    const label = labels[c] || terms[0] || '';
    return { label: label ? label.charAt(0).toUpperCase() + label.slice(1) : `Topic ${c + 1}`, terms };
  });
}
