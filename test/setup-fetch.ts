/**
 * The servers under test run in the test's own process, so a test that keeps the
 * event loop busy for longer than the server's keep-alive time-out (5 s; easily
 * reached on a loaded machine) lets the server's idle-socket timer and the next
 * request race: undici sends on the pooled socket the server is about to close
 * and gets ECONNRESET. A browser or HTTP client would open a new connection and
 * send again; so does this, once, for requests that are safe to repeat.
 */
// Kept on globalThis: a worker that runs several files (isolate: false) runs this file again for each, and must wrap the original once.
const ORIGINAL = Symbol.for('paperscope.test.fetch');
const fetchOnce: typeof fetch = ((globalThis as Record<symbol, unknown>)[ORIGINAL] as typeof fetch | undefined) ?? globalThis.fetch;
(globalThis as Record<symbol, unknown>)[ORIGINAL] = fetchOnce;
const RESET = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);
const REPEATABLE = new Set(['GET', 'HEAD', 'OPTIONS']);

globalThis.fetch = async (input, init) => {
  try {
    return await fetchOnce(input, init);
  } catch (err) {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const code = ((err as Error).cause as { code?: string } | undefined)?.code;
    if (!REPEATABLE.has(method) || !code || !RESET.has(code)) throw err;
    return fetchOnce(input, init);
  }
};
