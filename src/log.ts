import pino from 'pino';

/** Structured JSON logs on stderr (stdout belongs to the console chat). */
export function createLogger(level: string = 'info'): pino.Logger {
  return pino({ level, base: { app: 'sremuc-bot' } }, pino.destination(2));
}

export type Logger = pino.Logger;
