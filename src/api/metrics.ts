import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Gate, ShedReason } from './shed.ts';

export interface BuildInfo {
  build: string;
  model: string;
  papers: number;
}

/**
 * Prometheus metrics for one app: requests and latency by route (the route's
 * pattern, so ids do not explode the label set) and status, the gates' queue
 * depth and running items, shed requests by gate and reason, the serving
 * build, and Node's own process metrics. One registry per app, so that several
 * servers in one process (tests) do not share counters.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'paperscope_http_requests_total', help: 'HTTP requests by method, route and status', labelNames, registers: [registry] });
  const latency = new Histogram({
    name: 'paperscope_http_request_duration_seconds',
    help: 'Time to the response, by method, route and status',
    labelNames,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const shed = new Counter({ name: 'paperscope_shed_total', help: 'Requests refused with 503 or 429, by gate and reason', labelNames: ['gate', 'reason'], registers: [registry] });
  return {
    registry,
    /** Counts every request once its response is ready; must run outside everything that can answer. */
    middleware(): MiddlewareHandler {
      return async (c, next) => {
        const stop = latency.startTimer();
        await next();
        // The innermost matched route's pattern; requests no route matched share one label.
        const route = matchedRoutes(c).filter((r) => r.method !== 'ALL').at(-1)?.path ?? 'unmatched';
        const labels = { method: c.req.method, route, status: String(c.res.status) };
        requests.inc(labels);
        stop(labels);
      };
    },
    shed: (gate: string, reason: ShedReason | 'rate_limit' | 'deadline'): void => {
      shed.inc({ gate, reason });
    },
    watchGates(gates: Gate[]): void {
      new Gauge({
        name: 'paperscope_queue_depth',
        help: 'Items waiting for a slot, by gate',
        labelNames: ['gate'],
        registers: [registry],
        collect() {
          for (const g of gates) this.set({ gate: g.name }, g.queued);
        },
      });
      new Gauge({
        name: 'paperscope_in_flight',
        help: 'Items running, by gate',
        labelNames: ['gate'],
        registers: [registry],
        collect() {
          for (const g of gates) this.set({ gate: g.name }, g.active);
        },
      });
    },
    watchBuild(info: () => BuildInfo): void {
      new Gauge({
        name: 'paperscope_build_info',
        help: 'The serving index build (value 1), with its model and number of papers',
        labelNames: ['build', 'model', 'papers'],
        registers: [registry],
        collect() {
          this.reset();
          const { build, model, papers } = info();
          this.set({ build, model, papers: String(papers) }, 1);
        },
      });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
