import { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import type { AppDeps, AppEnv } from './deps.ts';
import { errorResponse, handleError, handleNotFound } from './error-handler.ts';
import { requestLog } from './request-log.ts';
import { securityHeaders } from './security.ts';
import { crossOriginReads } from './cors.ts';
import { allowedMethods, methodNotAllowed } from './methods.ts';
import { openApiDocument } from './openapi.ts';
import { createMetrics } from './metrics.ts';
import { createGate, gated } from './shed.ts';
import { deadline } from './deadline.ts';
import { limitBody } from './limits.ts';
import { rateLimit } from './rate-limit.ts';
import type { EdgeConfig } from '../edge-config.ts';
import { searchRoutes } from './routes/search.ts';
import { paperRoutes } from './routes/papers.ts';
import { metaRoutes } from './routes/meta.ts';
import { docsRoutes } from './routes/docs.ts';
import { topicRoutes } from './routes/topics.ts';
import { widgetRoutes } from './routes/widget.ts';
import { pageRoutes } from './routes/pages.tsx';
import { mcpRoutes } from './routes/mcp.ts';
import { ingestRoutes } from './routes/ingest.ts';

/** Paths whose every request is work with no cache in front of it; search and topic queries pass their gates after their caches. */
const GATED_PATHS = ['/api/papers/:id/similar', '/api/similar', '/api/related', '/widget/:id', '/paper/:id', '/mcp'];

/** The whole HTTP surface, composed in one place from the route modules and the edge's middleware. */
export function createApp(base: Omit<AppDeps, 'gates'>, logger: Logger, edge: EdgeConfig) {
  const metrics = createMetrics();
  const bound = (concurrency: number, queue: number) => ({ concurrency, queue, maxWaitMs: edge.queueWaitMs });
  const gates = {
    search: createGate('search', bound(edge.searchConcurrency, edge.searchQueue), metrics.shed),
    topics: createGate('topics', bound(edge.topicWorkers, edge.topicQueue), metrics.shed),
  };
  const deps: AppDeps = { ...base, gates };
  metrics.watchGates(Object.values(gates));
  metrics.watchBuild(() => {
    const { index } = deps.live.current().ctx;
    return { build: index.manifest.builtAt, model: index.manifest.model, papers: index.papers.size };
  });

  const app = new OpenAPIHono<AppEnv>();
  // Outermost first: logging and metrics see every answer, including the edge's own refusals.
  app.use('*', requestLog(logger));
  app.use('*', metrics.middleware());
  app.use('*', securityHeaders(deps.publicUrl));
  app.use('*', rateLimit(edge.rateLimitPerMinute, edge.trustProxy, () => metrics.shed('client', 'rate_limit')));
  app.use('*', deadline(edge.deadlineMs, () => metrics.shed('deadline', 'deadline')));
  app.use('*', limitBody(edge.bodyLimitBytes, edge.ingestBodyLimitBytes));
  // Each request answers from the build that was serving when it started, even if a new one is swapped in meanwhile.
  // Inside the deadline: a request answered 503 at its deadline keeps its build until its work has really stopped,
  // so a swap meanwhile cannot close files that work still reads.
  app.use('*', async (c, next) => {
    const held = deps.live.acquire();
    c.set('ctx', held.ctx);
    c.set('build', held.build);
    try {
      await next();
    } finally {
      held.release();
    }
  });
  app.use('/api/*', crossOriginReads());
  for (const path of GATED_PATHS) app.use(path, gated(gates.search));
  app.use('/', gated(gates.search, (query) => Boolean(query.q)));
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
  app.route('/', metaRoutes(deps));
  app.route('/', searchRoutes(gates));
  if (deps.ingest) app.route('/', ingestRoutes(deps.ingest));
  app.route('/', paperRoutes());
  app.route('/', topicRoutes(gates));
  app.route('/', widgetRoutes(deps));
  app.route('/', pageRoutes(deps));
  app.route('/', mcpRoutes());
  app.route('/', docsRoutes());
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS or API_KEYS_FILE' });
  const document = openApiDocument(app, deps.publicUrl);
  app.get('/openapi.json', (c) => c.json(document));
  const allow = allowedMethods(app.routes);
  app.onError(handleError);
  app.notFound((c) => {
    const methods = allow(c.req.path);
    return methods.length ? errorResponse(c, methodNotAllowed(c, methods)) : handleNotFound(c);
  });
  return app;
}
