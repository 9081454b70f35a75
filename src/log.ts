import pino from 'pino';

/**
 * Structured JSON logs on stderr (stdout belongs to the console chat), or appended to `file` when given (the
 * folder is created). Written synchronously so the last lines before an exit are never lost.
 */
export function createLogger(level: string = 'info', file?: string): pino.Logger {
  const destination = file ? pino.destination({ dest: file, mkdir: true, append: true, sync: true }) : pino.destination(2);
  return pino({ level, base: { app: 'sremuc-bot' } }, destination);
}

export type Logger = pino.Logger;
