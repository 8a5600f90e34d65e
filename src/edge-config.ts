/** Settings of the HTTP edge, each from an environment variable (see the README's variables table). */
export interface EdgeConfig {
  /** The origin other sites see (snippets, OpenAPI servers); null: the listen address. Never taken from the Host header. */
  publicUrl: string | null;
}

function publicUrl(value: string | undefined): string | null {
  if (!value) return null;
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`PUBLIC_URL must be an http(s) url, got "${value}"`);
  return url.origin;
}

export function loadEdgeConfig(env: NodeJS.ProcessEnv): EdgeConfig {
  return {
    publicUrl: publicUrl(env.PUBLIC_URL),
  };
}
