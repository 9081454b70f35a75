import { splitBareUrls } from '../../catalogue/safe-url';
import type { LinkSpan, SafeUrl } from '../message';

/**
 * Slack's mrkdwn made inert for text from data and users: entities, no mentions or broadcasts, no formatting
 * markers, and links only from checked URLs (SafeUrl). render.ts builds Block Kit from these.
 */
/** No word boundary required: `@here_x` must not turn into a broadcast once `_` becomes a look-alike. */
const BROADCAST_WORDS = /@(here|channel|everyone)/gi;
const ZERO_WIDTH_JOINER = '\u200d';

/**
 * Makes raw text inert in Slack markup: `&`, `<`, `>` become entities (so `<!channel>`, `<@U1>` and
 * `<!subteam^S1>` are shown, not parsed), and a zero-width joiner after the `@` of `@here`/`@channel`/`@everyone`
 * keeps them from ever being read as broadcasts, even by clients that link names.
 */
export function escapeText(text: string): string {
  // Most text (names, titles, times) has none of these: nothing to replace.
  if (!/[&<>@]/.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(BROADCAST_WORDS, (_m, word: string) => `@${ZERO_WIDTH_JOINER}${word}`);
}

/**
 * Slack has no escape character for mrkdwn. A `*`, `_` or `~` only acts as a marker at a word boundary, so
 * those become look-alikes there (`snake_case` keeps its underscore); backticks always do, and a quote `>` at
 * a line start gets an invisible soft hyphen in front. So `*bold*` inside a bold title stays text.
 */
const MARKER_AT_BOUNDARY = /(?<![\p{L}\p{N}])[*_~]|[*_~](?![\p{L}\p{N}])/gu;
const LOOK_ALIKES: Record<string, string> = { '*': '\u2217', _: '\u02cd', '~': '\u223c', '`': '\u02cb' };

function inertMarkers(escaped: string, everywhere: boolean): string {
  if (!/[*_~`]|&gt;/.test(escaped)) return escaped;
  return escaped
    .replace(everywhere ? /[*_~]/g : MARKER_AT_BOUNDARY, (c) => LOOK_ALIKES[c]!)
    .replace(/`/g, LOOK_ALIKES['`']!)
    .replace(/(^|\n)(\s*)&gt;/g, '$1$2\u00ad&gt;');
}

/**
 * Raw text as inert mrkdwn: entities, no broadcast words, no formatting markers; bare http(s) URLs in it
 * (checked by safeUrl) become explicit links, so escaping never eats their underscores.
 */
export function escapeMrkdwn(text: string): string {
  return splitBareUrls(text)
    .map((part) => (typeof part === 'string' ? inertMarkers(escapeText(part), false) : `<${escapeUrl(part.url)}>`))
    .join('');
}

/** A URL inside `<url|label>`: the control characters must not end the link early. */
export function escapeUrl(url: SafeUrl): string {
  return url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
}

/** `<url|label>`: inside a link label Slack still formats, so every marker becomes its look-alike. */
export function slackLink(span: Pick<LinkSpan, 'url' | 'label'>): string {
  return `<${escapeUrl(span.url)}|${inertMarkers(escapeText(span.label || span.url), true)}>`;
}
