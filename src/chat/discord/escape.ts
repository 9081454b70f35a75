import { splitBareUrls } from '../../catalogue/safe-url';
import { linkToPlain, type LinkSpan, type SafeUrl } from '../message';

/**
 * Discord markdown made inert for text from data and users: backslash escapes, no mentions or broadcasts,
 * and links only from checked URLs (SafeUrl). render.ts builds messages and embeds from these.
 */
const ZERO_WIDTH_JOINER = '\u200d';
/** Characters Discord's markdown gives a meaning to anywhere in a line; a backslash before them is not shown. */
const INLINE_MARKDOWN = /[\\*_~`|[\]<]/g;
/** Headings, subtext, quotes and lists only mean something at the start of a line. */
const LINE_START_MARKDOWN = /^(\s*)([#>+-]|\d+(?=\.))/gm;

/** Keeps @everyone/@here from ever being read as broadcasts, in any field, whatever allowed_mentions says. */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, (_m, word: string) => `@${ZERO_WIDTH_JOINER}${word}`).replace(/<([@#]|\/|a?:|t:)/g, `<${ZERO_WIDTH_JOINER}$1`);
}

/**
 * Raw text as inert Discord markdown: formatting characters are backslash-escaped (invisible once rendered),
 * so `<@123>`, `<@&1>`, `**x**` and `# heading` show as typed; bare http(s) URLs that pass safeUrl() stay
 * whole (normalised, a broadcast word in them percent-encoded) so they still link.
 */
export function escapeMarkdown(text: string): string {
  return splitBareUrls(text)
    .map((part) => (typeof part === 'string' ? escapePlain(part) : bareUrl(part.url)))
    .join('');
}

/**
 * A URL from running text, in angle brackets: Discord links it and reads no markdown inside (a `**` or `||`
 * in it, or one right after it, cannot start or end formatting).
 */
function bareUrl(url: SafeUrl): string {
  return `<${escapeUrl(url)}>`;
}

export function escapePlain(text: string): string {
  let out = text
    .replace(INLINE_MARKDOWN, (c) => `\\${c}`)
    .replace(LINE_START_MARKDOWN, (_m, space: string, mark: string) => (/\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`));
  // Most text has no `@` and no `//`: those two passes are skipped for it.
  if (out.includes('@')) out = out.replace(/@(everyone|here)/gi, (_m, word: string) => `@${ZERO_WIDTH_JOINER}${word}`);
  // What is left looking like a URL failed safeUrl() (`https://trusted@evil.example`): no autolink for it.
  if (out.includes('//')) out = out.replace(/(https?):(?=\/\/)/gi, '$1\\:');
  return out;
}

/** A URL inside `[label](url)`: characters that would end the link early are percent-encoded. */
function escapeUrl(url: SafeUrl): string {
  return url.replace(/\[/g, '%5B').replace(/\]/g, '%5D').replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\s/g, '%20').replace(/</g, '%3C').replace(/>/g, '%3E');
}

/** `[label](url)` for http(s); Discord has no masked mailto links, so those read "label (address)". */
export function discordLink(span: Pick<LinkSpan, 'url' | 'label'>): string {
  if (!/^https?:/i.test(span.url)) return escapePlain(linkToPlain(span));
  return `[${escapePlain(span.label || span.url)}](${escapeUrl(span.url)})`;
}
