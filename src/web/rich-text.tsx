import { raw } from 'hono/html';
import { Highlight } from './highlight.tsx';
import { splitMath } from './math.ts';

/** Web addresses in abstracts; trailing punctuation belongs to the sentence, not the link. */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'}]/gi;

function Linked({ text, terms }: { text: string; terms: Set<string> }) {
  const parts = [];
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    parts.push(<Highlight text={text.slice(last, m.index)} terms={terms} />, <a href={m[0]} rel="noopener noreferrer nofollow">{m[0]}</a>);
    last = m.index + m[0].length;
  }
  parts.push(<Highlight text={text.slice(last)} terms={terms} />);
  return <>{parts}</>;
}

/**
 * Text from the papers' data as a reader should see it: TeX typeset by KaTeX on
 * the server, the query's words marked, and (in abstracts) web addresses made links.
 */
export function RichText({ text, terms = new Set(), links = false }: { text: string; terms?: Set<string>; links?: boolean }) {
  return (
    <>
      {splitMath(text).map((s) => {
        if ('math' in s) return raw(s.math);
        return links ? <Linked text={s.text} terms={terms} /> : <Highlight text={s.text} terms={terms} />;
      })}
    </>
  );
}
