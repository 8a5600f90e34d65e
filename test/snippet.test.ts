import { describe, expect, it } from 'vitest';
import { makeSnippet } from '../src/search/snippet.ts';
import { splitSentences } from '../src/text/sentences.ts';
import { splitMath } from '../src/web/math.ts';

const dollars = (s: string) => (s.match(/\$/g) ?? []).length;

describe('snippets and formulas', () => {
  it('never cuts a formula at the length limit', () => {
    const formula = '$\\mathcal{O}(n \\log n + m \\cdot \\alpha(n))$';
    for (let pad = 150; pad <= 260; pad += 3) {
      const abstract = `${'word '.repeat(pad / 5)}the bound is ${formula} in the worst case, which we show to be tight for every graph family studied here.`;
      const snippet = makeSnippet(abstract, ['bound']);
      expect(snippet.endsWith(' …')).toBe(true);
      expect(dollars(snippet) % 2, snippet).toBe(0);
      // What the page shows typesets: no raw dollar left in its text segments.
      for (const seg of splitMath(snippet)) if ('text' in seg) expect(seg.text).not.toContain('$');
    }
  });

  it('does not start a snippet inside a formula', () => {
    const abstract = 'We study spin chains. The gap closes as $L^{-1}. A$ grows, see below. Entanglement entropy scales logarithmically.';
    expect(splitSentences(abstract)).toEqual(['We study spin chains.', 'The gap closes as $L^{-1}. A$ grows, see below.', 'Entanglement entropy scales logarithmically.']);
    const snippet = makeSnippet(abstract, ['grow']);
    expect(snippet).toBe('… The gap closes as $L^{-1}. A$ grows, see below. Entanglement entropy scales logarithmically.');
  });

  it('keeps decimals and abbreviations inside their sentence', () => {
    const abstract = 'Doses of 3.5 mg were given, e.g. orally. Mortality fell by half.';
    // "given" sits after the decimal point and the abbreviation: the passage still starts at the sentence.
    expect(makeSnippet(abstract, ['given'])).toBe(abstract);
    expect(makeSnippet(abstract, ['mortal'])).toBe('… Mortality fell by half.');
  });
});
