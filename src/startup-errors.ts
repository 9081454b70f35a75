import { ConfigError } from './config-error';

/**
 * Turns a failure to listen into a ConfigError naming the variable to change. `port` and `host` name the
 * variables that gave the address (HTTP_PORT and HTTP_HOST, or SLACK_PORT for Slack's own receiver).
 */
export function listenError(error: unknown, vars: { port: string; host?: string }, address: { host: string; port: number }): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${address.host}:${address.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new ConfigError(`${vars.port}: ${where} is already in use (another sremuc-bot, or another server); stop it or choose another port`);
    case 'EACCES':
      return new ConfigError(`${vars.port}: not allowed to listen on ${where} (ports below 1024 need privileges); use a port above 1024 behind the reverse proxy`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new ConfigError(`${vars.host ?? 'HTTP_HOST'}: cannot resolve "${address.host}"; give an address of this machine such as 127.0.0.1 or 0.0.0.0`);
    case 'EADDRNOTAVAIL':
      return new ConfigError(`${vars.host ?? 'HTTP_HOST'}: ${address.host} is not an address of this machine; use 127.0.0.1 (behind a reverse proxy) or 0.0.0.0`);
    default:
      return error;
  }
}

/** Slack's answers that mean the token itself is wrong, revoked or of the wrong kind. */
const SLACK_TOKEN_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type', 'invalid_token']);

/** A ConfigError naming `variable` when `error` is Slack or Discord refusing that token; otherwise undefined. */
export function rejectedToken(variable: string, platform: 'Slack' | 'Discord', error: unknown): ConfigError | undefined {
  const e = error as { data?: { error?: string }; code?: string | number; status?: number; message?: string };
  const slackError = e?.data?.error;
  if (platform === 'Slack' && slackError && SLACK_TOKEN_ERRORS.has(slackError)) {
    return new ConfigError(`${variable}: Slack rejected the token (${slackError}); copy it again from the app's settings (see README, "Slack, step by step")`);
  }
  if (platform === 'Discord' && (e?.code === 'TokenInvalid' || e?.status === 401)) {
    return new ConfigError(`${variable}: Discord rejected the token (${e.code === 'TokenInvalid' ? 'invalid token' : '401 Unauthorized'}); reset it under Bot in the developer portal and copy it again`);
  }
  return undefined;
}
