import type { AppDeps } from '../deps.ts';
import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../router.ts';
import { StatsResponse } from '../schemas.ts';
import { PaperscopeError } from '../../errors.ts';
import type { SearchIndex } from '../../store/load-index.ts';

const statsRoute = createRoute({
  method: 'get',
  path: '/api/stats',
  summary: 'Index statistics',
  responses: { 200: { description: 'What is indexed and how', content: { 'application/json': { schema: StatsResponse } } } },
});

/** Reads one record and one vector the way answers do, so that health fails when answers would. */
function probe(index: SearchIndex): PaperscopeError | null {
  try {
    index.papers.get(index.papers.size - 1);
    index.vector(index.papers.size - 1);
    return null;
  } catch (err) {
    return err instanceof PaperscopeError ? err : new PaperscopeError('INDEX_CORRUPT', `The serving build cannot be read: ${(err as Error).message}`);
  }
}

export function metaRoutes(deps: Pick<AppDeps, 'indexing'>) {
  const router = createRouter();
  // Present only while a background indexer runs, so that a page can say that more papers are coming.
  const indexing = () => {
    const progress = deps.indexing?.();
    return progress ? { indexing: progress } : {};
  };
  router.get('/health', (c) => {
    const { ctx, id, builtAt, servingSince } = c.get('build');
    const build = { build: id, built_at: builtAt, serving_since: servingSince };
    const failure = probe(ctx.index);
    if (failure) return c.json({ status: 'unavailable', ...build, ...failure.toJSON() }, 503);
    return c.json({ status: 'ok', papers: ctx.index.papers.size, ...build, ...indexing() });
  });
  return router.openapi(statsRoute, (c) => {
    const { ctx, id, servingSince } = c.get('build');
    const { manifest } = ctx.index;
    return c.json(
      {
        ...indexing(),
        papers: manifest.count,
        model: manifest.model,
        dimension: manifest.dimension,
        index: manifest.ann,
        built_at: manifest.builtAt,
        format_version: manifest.formatVersion,
        build: id,
        serving_since: servingSince,
      },
      200,
    );
  });
}
