import type { Context } from 'hono';
import { PaperscopeError } from '../errors.ts';

interface RouteInfo {
  path: string;
  method: string;
}

/** `/api/papers/:id` → a pattern for one path segment per parameter; `*` matches the rest. */
function pathPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * The methods each known path answers, from the composed app's routes
 * (middleware, registered for every method, does not count). A request that
 * found no route but whose path is known gets 405 with the Allow header, as
 * HTTP asks, rather than 404.
 */
export function allowedMethods(routes: readonly RouteInfo[]): (path: string) => string[] {
  const byPattern = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  for (const { path, method } of routes) {
    if (method === 'ALL') continue;
    const entry = byPattern.get(path) ?? { pattern: pathPattern(path), methods: new Set<string>() };
    entry.methods.add(method);
    if (method === 'GET') entry.methods.add('HEAD');
    byPattern.set(path, entry);
  }
  const entries = [...byPattern.values()];
  return (path) => [...new Set(entries.filter((e) => e.pattern.test(path)).flatMap((e) => [...e.methods]))].sort();
}

export function methodNotAllowed(c: Context, allow: string[]): PaperscopeError {
  c.header('allow', allow.join(', '));
  return new PaperscopeError('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed on ${c.req.path}; use ${allow.join(' or ')}`, { method: c.req.method, allow });
}
