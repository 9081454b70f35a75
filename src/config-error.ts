/**
 * A configuration the bot cannot run with: a bad environment variable, or one that turned out wrong at start-up
 * (a port in use, a database it cannot write, a token the platform rejected). The message starts with the
 * variable's name and says what to change; `npm start` prints it and exits 2 without a stack trace.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
