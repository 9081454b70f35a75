import type { DateTime } from 'luxon';

/**
 * The platform-neutral message model. Commands and the scheduler build these; the Slack, Discord and console
 * renderers turn them into Block Kit, embeds and text.
 *
 * Every plain string in a model is raw text (from users or event files): renderers escape it and neutralise
 * mentions. Formatting is expressed with spans, never with platform markup inside strings.
 */
export type Span =
  | string
  | { kind: 'bold'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'link'; url: string; label: string }
  /** A point in time: Discord shows <t:unix:F>, Slack <!date^...>, console Berlin wall time. */
  | { kind: 'time'; at: DateTime; format: TimeFormat };

export type TimeFormat = 'full' | 'date' | 'time' | 'relative';

export type RichText = Span[];

export interface Section {
  heading?: string;
  body: RichText;
}

export interface Field {
  name: string;
  value: RichText;
  inline?: boolean;
}

export interface Button {
  /** Action id the adapters route back to a command, e.g. "agenda:abstracts:<eventId>" or "cfp:open". */
  id: string;
  label: string;
  url?: string;
  style?: 'primary' | 'danger';
}

export interface ModalField {
  id: string;
  label: string;
  style: 'short' | 'paragraph';
  required: boolean;
  maxLength: number;
  minLength?: number;
  placeholder?: string;
  /** Filled in when the form opens (e.g. the real name the member gave before), to keep or change. */
  value?: string;
}

/** A form the user fills in (Slack view, Discord modal, console prompts). */
export interface ModalModel {
  /** Routes the submission back: "<command>:<purpose>", e.g. "cfp:submit". */
  id: string;
  title: string;
  fields: ModalField[];
  submitLabel: string;
}

export interface MessageModel {
  title?: string;
  titleUrl?: string;
  intro?: RichText;
  sections: Section[];
  fields: Field[];
  links: { label: string; url: string }[];
  buttons: Button[];
  footer?: RichText;
  /** Plain-text fallback (notifications, screen readers, console). Derived with toPlainText() when absent. */
  fallback?: string;
  /** Only the caller sees it (Slack ephemeral response, Discord ephemeral flag). */
  ephemeral?: boolean;
  /**
   * Files that go with an answer (e.g. an organizer's CSV export): a Discord attachment on the reply; on Slack an
   * upload into the caller's direct messages with the bot (a channel upload would show it to the channel).
   */
  files?: Attachment[];
}

export interface Attachment {
  name: string;
  content: string;
  mimeType: string;
}

/** What a command returns: a message, or a form to open (only possible in reply to an interaction). */
export type CommandReply = { message: MessageModel } | { modal: ModalModel };

export function message(parts: Partial<MessageModel>): MessageModel {
  return { sections: [], fields: [], links: [], buttons: [], ...parts };
}

export const bold = (text: string): Span => ({ kind: 'bold', text });
export const code = (text: string): Span => ({ kind: 'code', text });
export const link = (url: string, label: string): Span => ({ kind: 'link', url, label });
export const time = (at: DateTime, format: TimeFormat = 'full'): Span => ({ kind: 'time', at, format });

/** Text of one span with times in the event's own zone: the console rendering and every platform's fallback. */
export function spanToPlain(span: Span): string {
  if (typeof span === 'string') return span;
  switch (span.kind) {
    case 'bold':
    case 'code':
      return span.text;
    case 'link':
      return span.label && span.label !== span.url ? `${span.label} (${span.url})` : span.url;
    case 'time':
      return formatPlainTime(span.at, span.format);
  }
}

export function richToPlain(text: RichText | undefined): string {
  return (text ?? []).map(spanToPlain).join('');
}

const plainTimes = new Map<string, string>();
const PLAIN_TIMES_MAX = 10_000;

/**
 * "Wed 10 Jul 2024, 18:30 CEST": the zone abbreviation makes the fallback right for readers elsewhere.
 * Remembered per instant, zone and format: the zone name costs ~80 µs through Intl, and every agenda
 * answer shows the same few times again (measured in bench/slack.bench.ts).
 */
export function formatPlainTime(at: DateTime, format: TimeFormat): string {
  if (format === 'relative') return formatPlainTimeNow(at, format);
  const key = `${at.toMillis()}|${at.zoneName}|${at.locale}|${format}`;
  let text = plainTimes.get(key);
  if (text === undefined) {
    if (plainTimes.size >= PLAIN_TIMES_MAX) plainTimes.clear();
    text = formatPlainTimeNow(at, format);
    plainTimes.set(key, text);
  }
  return text;
}

function formatPlainTimeNow(at: DateTime, format: TimeFormat): string {
  switch (format) {
    case 'date':
      return at.toFormat('ccc d LLL yyyy');
    case 'time':
      return at.toFormat('HH:mm');
    case 'relative':
      return `${at.toRelative() ?? ''} (${at.toFormat('ccc d LLL yyyy, HH:mm')} ${zoneAbbreviation(at)})`;
    case 'full':
      return `${at.toFormat('ccc d LLL yyyy, HH:mm')} ${zoneAbbreviation(at)}`;
  }
}

/**
 * "CEST" rather than "GMT+2": ICU names European zones only in British English and American ones only in US
 * English, so ask both and fall back to the offset.
 */
function zoneAbbreviation(at: DateTime): string {
  for (const locale of ['en-GB', 'en-US']) {
    const name = at.setLocale(locale).toFormat('ZZZZ');
    if (!/^(GMT|UTC)[+-]/.test(name)) return name;
  }
  return at.toFormat('ZZZZ');
}

/** The whole message as plain text, e.g. for a notification fallback or the console. */
export function toPlainText(m: MessageModel): string {
  if (m.fallback) return m.fallback;
  const lines: string[] = [];
  if (m.title) lines.push(m.title);
  if (m.intro) lines.push(richToPlain(m.intro));
  for (const s of m.sections) {
    if (s.heading) lines.push('', s.heading);
    lines.push(richToPlain(s.body));
  }
  for (const f of m.fields) lines.push(`${f.name}: ${richToPlain(f.value)}`);
  for (const l of m.links) lines.push(`${l.label}: ${l.url}`);
  if (m.footer) lines.push('', richToPlain(m.footer));
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
