import type { Server, ServerResponse } from 'node:http';

export interface Drain {
  /** Requests whose response has not finished yet. */
  readonly inFlight: number;
  /**
   * Stops accepting connections, lets in-flight requests finish within
   * `graceMs` (their responses say `Connection: close`, so keep-alive clients
   * do not send more), then closes what is left. `drained` is false when
   * requests had to be cut at the end of the grace period.
   */
  close(graceMs: number): Promise<{ drained: boolean; cut: number }>;
}

/** Graceful shutdown for a Node HTTP server, as nginx's and PostgreSQL's "smart" shutdown do it. */
export function drainable(server: Server): Drain {
  const open = new Set<ServerResponse>();
  let draining = false;
  server.on('request', (_req, res: ServerResponse) => {
    if (draining && !res.headersSent) res.setHeader('connection', 'close');
    open.add(res);
    res.once('close', () => open.delete(res));
  });
  return {
    get inFlight() {
      return open.size;
    },
    async close(graceMs) {
      draining = true;
      for (const res of open) if (!res.headersSent) res.setHeader('connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive sockets would otherwise hold the close open.
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), graceMs)));
      const outcome = await Promise.race([closed.then(() => 'closed' as const), expired]);
      clearTimeout(timer);
      if (outcome === 'closed') return { drained: true, cut: 0 };
      const cut = open.size;
      server.closeAllConnections();
      await closed;
      return { drained: false, cut };
    },
  };
}
