import { formatPlainTime, spanToPlain, type RichText, type Span, type TimeFormat } from '../message';
import { discordLink, escapeMarkdown, neutraliseMentions } from './escape';

/*
 * Rich text as Discord markdown (messages, embeds), or inert text for the places Discord shows no markdown;
 * and the one truncation every Discord limit goes through.
 */

const TIME_STYLES: Record<TimeFormat, string> = { full: 'F', date: 'D', time: 't', relative: 'R' };

/** `<t:unix:F>`: every reader sees the time in their own zone and language. */
export function discordTime(span: Extract<Span, { kind: 'time' }>): string {
  return `<t:${Math.floor(span.at.toSeconds())}:${TIME_STYLES[span.format]}>`;
}

export function spanToMarkdown(span: Span): string {
  if (typeof span === 'string') return escapeMarkdown(span);
  switch (span.kind) {
    case 'bold':
      return span.text.trim() ? `**${escapeMarkdown(span.text.trim())}**` : escapeMarkdown(span.text);
    case 'code':
      // Inside a code span nothing is parsed: only the backtick itself needs replacing.
      return span.text ? '`' + neutraliseMentions(span.text.replace(/`/g, "'")) + '`' : '';
    case 'link':
      return discordLink(span);
    case 'time':
      return discordTime(span);
  }
}

export function richToMarkdown(text: RichText | undefined): string {
  return (text ?? []).map(spanToMarkdown).join('');
}

/** For places without markdown (footer, button labels, modal texts): times in the event's zone, mentions inert. */
export function richToInert(text: RichText | undefined): string {
  return neutraliseMentions((text ?? []).map((s) => (typeof s !== 'string' && s.kind === 'time' ? formatPlainTime(s.at, s.format === 'relative' ? 'full' : s.format) : spanToPlain(s))).join(''));
}

/**
 * Cuts at a line (or word) boundary when possible, marking the cut with an ellipsis, and never leaves half a
 * markdown token behind: a lone escaping backslash, an open `[label](`, an unclosed `<t:` or bold/code marker.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const cut = Math.max(room.lastIndexOf('\n'), room.lastIndexOf(' '));
  let kept = cut > max * 0.6 ? room.slice(0, cut) : room;
  kept = kept.replace(/\[[^\]]*(\]\([^)]*)?$/, '').replace(/<[^>]*$/, '');
  if ((kept.match(/\*\*/g)?.length ?? 0) % 2 === 1) kept = kept.slice(0, kept.lastIndexOf('**'));
  if (((kept.replace(/\\`/g, '').match(/`/g)?.length ?? 0) % 2) === 1) kept = kept.slice(0, kept.lastIndexOf('`'));
  kept = kept.replace(/(^|[^\\])(\\\\)*\\$/, '$1$2').trimEnd();
  return kept + '…';
}
