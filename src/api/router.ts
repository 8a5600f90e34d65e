import { OpenAPIHono } from '@hono/zod-openapi';
import { validationError } from './validation.ts';

/** Every route module starts from this, so that all validation failures share one shape. */
export function createRouter(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
}
