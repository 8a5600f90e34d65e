/** Escapes text for a double-quoted HTML attribute value. */
function attribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The copy-paste snippet that shows a paper's related papers on another site.
 * It is HTML that someone pastes into their page, so every value in it is
 * escaped for an attribute: a paper id is data, and an id such as
 * `x"></script><script>…` must stay inside its attribute when pasted.
 * The origin is the configured public one, never the request's Host header.
 */
export function embedSnippet(publicUrl: string, paperId: string, k = 5): string {
  return `<script src="${attribute(`${publicUrl}/widget.js`)}" data-paper-id="${attribute(paperId)}" data-k="${k}"></script>`;
}
