import { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import type { AppDeps, AppEnv } from './deps.ts';
import { errorResponse, handleError, handleNotFound } from './error-handler.ts';
import { requestLog } from './request-log.ts';
import { securityHeaders } from './security.ts';
import { crossOriginReads } from './cors.ts';
import { allowedMethods, methodNotAllowed } from './methods.ts';
import { openApiDocument } from './openapi.ts';
import { searchRoutes } from './routes/search.ts';
import { paperRoutes } from './routes/papers.ts';
import { metaRoutes } from './routes/meta.ts';
import { docsRoutes } from './routes/docs.ts';
import { topicRoutes } from './routes/topics.ts';
import { widgetRoutes } from './routes/widget.ts';
import { pageRoutes } from './routes/pages.tsx';
import { mcpRoutes } from './routes/mcp.ts';
import { ingestRoutes } from './routes/ingest.ts';

/** The whole HTTP surface, composed in one place from the route modules. */
export function createApp(deps: AppDeps, logger: Logger) {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requestLog(logger));
  // Each request answers from the build that was serving when it started, even if a new one is swapped in meanwhile.
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
  app.use('*', securityHeaders(deps.publicUrl));
  app.use('/api/*', crossOriginReads());
  app.route('/', metaRoutes());
  app.route('/', searchRoutes());
  if (deps.ingest) app.route('/', ingestRoutes(deps.ingest));
  app.route('/', paperRoutes());
  app.route('/', topicRoutes());
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
