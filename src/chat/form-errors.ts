import { FieldErrors, type ArgumentError } from '../commands/definition';

/**
 * Which form fields an ArgumentError is about, each with its message: a FieldErrors lists them (`errors`);
 * otherwise a message that starts with a submitted field's id ("title: too short") names it. Anything else is
 * about the whole submission.
 */
export function fieldErrorsOf(error: ArgumentError, values: Record<string, string>): Record<string, string> | undefined {
  if (error instanceof FieldErrors) return error.errors;
  const prefix = /^([\w-]+):/.exec(error.message)?.[1];
  return prefix !== undefined && prefix in values ? { [prefix]: error.message } : undefined;
}
