import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { PostError } from '../adapter';

/**
 * Maps what @discordjs/rest throws (after its own retries: 5xx and network errors up to `retries` times, which
 * are safe for posts because they repeat the enforced nonce; 429s waited out in its queue) to a PostError; 5xx,
 * timeouts and resets leave the outcome unknown (ambiguous). A rate limit longer than the adapter is willing to wait, 5xx and network failures are
 * retryable; 4xx answers (403 Missing Access 50001, Missing Permissions 50013, 404 Unknown Channel 10003,
 * Unknown Message 10008, 400 Invalid Form Body) need a person to fix something and are not.
 */
export function toPostError(what: string, error: unknown): PostError {
  if (error instanceof RateLimitError) {
    return new PostError(`Discord ${what} rate limited${error.global ? ' (global)' : ''}: retry after ${error.retryAfter} ms`, true, error.retryAfter);
  }
  if (error instanceof DiscordAPIError) {
    const status = error.status;
    return new PostError(`Discord ${what} failed: ${error.message} (HTTP ${status}, code ${String(error.code)})`, status === 429 || status >= 500, undefined, status >= 500);
  }
  if (error instanceof HTTPError) return new PostError(`Discord ${what} failed: HTTP ${error.status}`, error.status === 429 || error.status >= 500, undefined, error.status >= 500);
  const message = error instanceof Error ? error.message : String(error);
  // Timeouts (AbortError) and connection failures: the request may have arrived, so the outcome is unknown.
  return new PostError(`Discord ${what} failed: ${message}`, true, undefined, true);
}
