import { webApi } from '@slack/bolt';
import { PostError } from '../adapter';

/** Slack `ok:false` codes that mean "try again later"; every other code needs a person to fix something. */
const TRANSIENT_CODES = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);
/** Codes after which the call may have taken effect all the same ("some aspect of the operation succeeded"). */
const AMBIGUOUS_CODES = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * Maps what @slack/web-api throws to a PostError: 429, 5xx and network failures are retryable, and all but the
 * 429 leave the outcome unknown (ambiguous); `ok:false` answers such as channel_not_found, not_in_channel or
 * is_archived are not retryable, and carry the Slack error code so organizers can act on it.
 */
export function toPostError(method: string, error: unknown): PostError {
  const coded = error as Partial<webApi.WebAPICallError> & { message?: string };
  switch (coded.code) {
    case webApi.ErrorCode.PlatformError: {
      const slackCode = (coded as webApi.WebAPIPlatformError).data.error;
      return new PostError(`Slack ${method} failed: ${slackCode}`, TRANSIENT_CODES.has(slackCode), undefined, AMBIGUOUS_CODES.has(slackCode));
    }
    case webApi.ErrorCode.RateLimitedError: {
      const retryAfter = (coded as webApi.WebAPIRateLimitedError).retryAfter;
      return new PostError(`Slack ${method} rate limited (retry after ${retryAfter} s)`, true, retryAfter * 1000);
    }
    case webApi.ErrorCode.HTTPError: {
      const status = (coded as webApi.WebAPIHTTPError).statusCode;
      return new PostError(`Slack ${method} failed: HTTP ${status}`, status === 429 || status >= 500, undefined, status >= 500);
    }
    // A timeout or a reset connection: the request may have been processed.
    case webApi.ErrorCode.RequestError:
      return new PostError(`Slack ${method} failed: ${coded.message ?? 'network error'}`, true, undefined, true);
    default:
      return new PostError(`Slack ${method} failed: ${coded.message ?? String(error)}`, true, undefined, true);
  }
}
