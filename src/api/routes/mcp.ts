import { Hono } from 'hono';
import { StreamableHTTPTransport } from '@hono/mcp';
import type { AppEnv } from '../deps.ts';
import { mcpServer } from '../mcp-server.ts';

/**
 * POST /mcp: the Model Context Protocol over Streamable HTTP, stateless. Each
 * request gets its own server and transport, so requests share nothing (no
 * session to pin a client to one process or one index build) and every answer
 * is a plain JSON response. Without sessions there is no server-to-client
 * stream to open, so GET (and DELETE) are not served.
 */
export function mcpRoutes() {
  return new Hono<AppEnv>().post('/mcp', async (c) => {
    const server = mcpServer(c.get('ctx'));
    const transport = new StreamableHTTPTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      return (await transport.handleRequest(c)) ?? c.body(null, 202);
    } finally {
      await server.close();
    }
  });
}
