import type { ZodError } from 'zod';
import { PaperscopeError } from '../errors.ts';

/**
 * Turns a zod failure into the one error shape: the message names the first
 * bad field, `details` lists every problem with its field.
 */
export function validationError(error: ZodError, where: string): PaperscopeError {
  const details = error.issues.map((issue) => ({ field: issue.path.join('.') || where, problem: issue.message }));
  const first = details[0];
  return new PaperscopeError('INVALID_INPUT', `Invalid ${where} field "${first.field}": ${first.problem}`, details);
}
