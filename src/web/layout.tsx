import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';

/**
 * Pages load only files from this origin and run no inline code. Math (KaTeX)
 * needs style attributes: render.ts adds the hash of each one a page holds.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

export function Layout({ title, q, children }: { title: string; q?: string; children: Child }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title === 'Paperscope' ? title : `${title} · Paperscope`}</title>
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href="/assets/katex/katex.min.css" />
          <link rel="stylesheet" href="/assets/style.css" />
          <script src="/assets/app.js" defer></script>
          <script type="module" src="/assets/search-form.js"></script>
          <script type="module" src="/assets/library.js"></script>
        </head>
        <body>
          <a class="skip" href="#main">Skip to content</a>
          <header class="top">
            <a class="brand" href="/">Paperscope</a>
            <form class="search" id="search" action="/" method="get" role="search">
              <input type="search" name="q" value={q ?? ''} placeholder="Search papers, or “papers like ULIP about 3D point clouds”" aria-label="Search papers" autocomplete="off" />
              <button type="submit">Search</button>
            </form>
            <nav>
              <a href="/topics">Topics</a>
              <a href="/map">Map</a>
              <a href="/library">Library</a>
              <a href="/docs">API</a>
            </nav>
          </header>
          <p class="busy" role="status" aria-live="polite"></p>
          <main id="main">{children}</main>
        </body>
      </html>
    </>
  );
}
