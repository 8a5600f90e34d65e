/**
 * A paper's url as the outside world may see it: only absolute http(s) links.
 * Data comes from files anyone can write, and a `javascript:` or `data:` url
 * that reached a link or a client's `href` would run code; such urls become null.
 */
export function webUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
