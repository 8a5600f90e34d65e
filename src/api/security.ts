import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { PAGE_CSP } from '../web/layout.tsx';

/**
 * Security headers on every response. Routes that need another policy (the
 * widget's iframe page, /docs) set their own Content-Security-Policy, which is
 * kept; every other response, HTML pages and error pages included, gets the
 * pages' strict policy. Framing is governed by the CSP's frame-ancestors (the
 * widget page must be framable anywhere), so X-Frame-Options is left out, and
 * Cross-Origin-Resource-Policy too, since /widget.js is loaded by other sites.
 */
export function securityHeaders(publicUrl: string): MiddlewareHandler {
  const standard = secureHeaders({
    overwrite: false,
    xFrameOptions: false,
    crossOriginResourcePolicy: false,
    // HSTS means something only on an https origin.
    strictTransportSecurity: publicUrl.startsWith('https:'),
  });
  return async (c, next) => {
    await standard(c, async () => {
      await next();
      if (!c.res.headers.has('content-security-policy')) c.res.headers.set('content-security-policy', PAGE_CSP);
    });
  };
}
