import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import type { Logger } from 'pino';
import type { AppDeps } from './deps.ts';
import { handleError, handleNotFound } from './error-handler.ts';
import { requestLog } from './request-log.ts';
import { searchRoutes } from './routes/search.ts';
import { paperRoutes } from './routes/papers.ts';
import { metaRoutes } from './routes/meta.ts';
import { docsRoutes } from './routes/docs.ts';
import { topicRoutes } from './routes/topics.ts';
import { widgetRoutes } from './routes/widget.ts';
import { pageRoutes } from './routes/pages.tsx';
import { mcpRoutes } from './routes/mcp.ts';

/** The whole HTTP surface, composed in one place from the route modules. */
export function createApp(deps: AppDeps, logger: Logger) {
  const app = new OpenAPIHono();
  app.use('*', requestLog(logger));
  // Other sites may fetch papers and related papers from the browser; writes stay same-origin.
  app.use('/api/*', cors({ origin: '*', allowMethods: ['GET'] }));
  app.route('/', metaRoutes(deps));
  app.route('/', searchRoutes(deps));
  app.route('/', paperRoutes(deps));
  app.route('/', topicRoutes(deps));
  app.route('/', widgetRoutes(deps));
  app.route('/', pageRoutes(deps));
  app.route('/', mcpRoutes(deps));
  app.route('/', docsRoutes());
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Paperscope API', version: '1', description: 'Semantic search, similar papers and topics over a collection of research papers.' },
  });
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}
