import { ERROR_CATALOGUE, type PaperscopeError } from '../errors.ts';
import { Layout } from './layout.tsx';

const HEADINGS: Record<number, string> = {
  400: 'This address has a mistake in it',
  404: 'Nothing here',
  500: 'Something went wrong on our side',
  503: 'Paperscope is busy',
};

/** What the reader is told: an internal error's own message may name internals, so those get the catalogue's. */
function explain(error: PaperscopeError, path: string): string {
  if (error.code === 'NOT_FOUND') return `There is no page at ${path}.`;
  return error.status >= 500 ? ERROR_CATALOGUE[error.code].message : error.message;
}

/** What a reader sees instead of an error's JSON: what happened, and the way on. */
export function ErrorPage({ error, path }: { error: PaperscopeError; path: string }) {
  const heading = HEADINGS[error.status] ?? (error.status >= 500 ? HEADINGS[500] : HEADINGS[400]);
  return (
    <Layout title={heading}>
      <section class="error-page">
        <p class="status">Error {error.status}</p>
        <h1>{heading}</h1>
        <p>{explain(error, path)}</p>
        <p>
          Try a search above, <a href="/">go to the start page</a>, or browse the <a href="/topics">topics</a>.
        </p>
      </section>
    </Layout>
  );
}
