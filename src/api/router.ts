import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './deps.ts';
import { validationError } from './validation.ts';

/** Every route module starts from this, so that all validation failures share one shape. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
}
