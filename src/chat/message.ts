import type { DateTime } from 'luxon';
import { linkLabel, safeUrl, type SafeUrl } from '../catalogue/safe-url';

export type { SafeUrl } from '../catalogue/safe-url';

/**
 * The platform-neutral message model. Commands and the scheduler build these; the Slack, Discord and console
 * renderers turn them into Block Kit, embeds and text.
 *
 * Every plain string in a model is raw text (from users or event files): renderers escape it and neutralise
 * mentions. Formatting is expressed with spans, never with platform markup inside strings. Every URL a
 * renderer may put into link syntax (link spans, links, buttons, titleUrl) is a SafeUrl, checked once by
 * safeUrl(): nothing else can become a link.
 */
export type Span =
  | string
  | { kind: 'bold'; text: string }
  | { kind: 'code'; text: string }
  | LinkSpan
  /** A point in time: Discord shows <t:unix:F>, Slack <!date^...>, console Berlin wall time. */
  | { kind: 'time'; at: DateTime; format: TimeFormat };

/** A checked link; `label` is what readers see (already corrected when it named another host). */
export interface LinkSpan {
  kind: 'link';
  url: SafeUrl;
  label: string;
}

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
  url?: SafeUrl;
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
  titleUrl?: SafeUrl;
  intro?: RichText;
  sections: Section[];
  fields: Field[];
  links: LinkItem[];
  buttons: Button[];
  footer?: RichText;
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

/** A link listed under a message (event page, slides, recordings). */
export interface LinkItem {
  label: string;
  url: SafeUrl;
}

/** What a command returns: a message, or a form to open (only possible in reply to an interaction). */
export type CommandReply = { message: MessageModel } | { modal: ModalModel };

export function message(parts: Partial<MessageModel>): MessageModel {
  return { sections: [], fields: [], links: [], buttons: [], ...parts };
}

export const bold = (text: string): Span => ({ kind: 'bold', text });
export const code = (text: string): Span => ({ kind: 'code', text });

/** A link span when `url` passes safeUrl(), else undefined. Relative site paths need the website. */
export function linkTo(url: string | undefined, label: string, website?: string): LinkSpan | undefined {
  const checked = safeUrl(url, website);
  return checked ? { kind: 'link', url: checked, label: linkLabel(label, checked) } : undefined;
}

/** A link when the URL is http(s)/mailto, otherwise the label (or the raw text) as plain, inert text. */
export function link(url: string | undefined, label: string): Span {
  return linkTo(url, label) ?? (label.trim() || url || '');
}

/** An entry for MessageModel.links, or nothing when the URL does not pass safeUrl(). */
export function linkItem(url: string | undefined, label: string): LinkItem[] {
  const span = linkTo(url, label);
  return span ? [{ label: span.label, url: span.url }] : [];
}
export const time = (at: DateTime, format: TimeFormat = 'full'): Span => ({ kind: 'time', at, format });

/**
 * A model read back from storage (the outbox's JSON), where the SafeUrl brand is only a claim: every URL is
 * checked again, and one that fails (a row written before links were checked) becomes plain text.
 */
export function recheckLinks(m: MessageModel): MessageModel {
  const rich = (text: RichText | undefined) => text?.map((s) => (typeof s !== 'string' && s.kind === 'link' ? link(s.url, s.label) : s));
  return {
    ...m,
    titleUrl: safeUrl(m.titleUrl),
    intro: rich(m.intro),
    sections: m.sections.map((s) => ({ ...s, body: rich(s.body)! })),
    fields: m.fields.map((f) => ({ ...f, value: rich(f.value)! })),
    links: m.links.flatMap((l) => linkItem(l.url, l.label)),
    buttons: m.buttons.flatMap((b) => (b.url === undefined ? [b] : safeUrl(b.url) ? [{ ...b, url: safeUrl(b.url) }] : [])),
    footer: rich(m.footer),
  };
}

/** Text of one span with times in the event's own zone: the console rendering and every platform's fallback. */
export function spanToPlain(span: Span): string {
  if (typeof span === 'string') return span;
  switch (span.kind) {
    case 'bold':
    case 'code':
      return span.text;
    case 'link':
      return linkToPlain(span);
    case 'time':
      return formatPlainTime(span.at, span.format);
  }
}

/** "Slides (https://…)": the label with its target, for renderers without link syntax. */
export function linkToPlain(l: { label: string; url: SafeUrl }): string {
  const shown = l.url.startsWith('mailto:') ? l.url.slice('mailto:'.length) : l.url;
  return l.label && l.label !== shown && l.label !== l.url ? `${l.label} (${shown})` : shown;
}

export function richToPlain(text: RichText | undefined): string {
  return (text ?? []).map(spanToPlain).join('');
}

/** What each DateTime reads as, per format: DateTimes are immutable, and a reload builds new ones. */
const plainTimes = new WeakMap<DateTime, Partial<Record<TimeFormat, string>>>();

/**
 * "Wed 10 Jul 2024, 18:30 CEST": the zone abbreviation makes the fallback right for readers elsewhere.
 * Worked out once per meetup time and format: naming the zone asks ICU in up to three locales, and every answer
 * shows the same few meetup times of the catalogue again.
 */
export function formatPlainTime(at: DateTime, format: TimeFormat): string {
  if (format === 'relative') return formatPlainTimeNow(at, format);
  let texts = plainTimes.get(at);
  if (texts === undefined) plainTimes.set(at, (texts = {}));
  return (texts[format] ??= formatPlainTimeNow(at, format));
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
export function zoneAbbreviation(at: DateTime): string {
  // en-IE: Irish Standard Time is "IST" only in Irish English (en-GB says "GMT+1").
  for (const locale of ['en-GB', 'en-IE', 'en-US']) {
    const name = at.setLocale(locale).toFormat('ZZZZ');
    if (!/^(GMT|UTC)[+-]/.test(name)) return name;
  }
  return at.toFormat('ZZZZ');
}

/** The whole message as plain text, e.g. for a notification fallback or the console. */
export function toPlainText(m: MessageModel): string {
  const lines: string[] = [];
  if (m.title) lines.push(m.title);
  if (m.intro) lines.push(richToPlain(m.intro));
  for (const s of m.sections) {
    if (s.heading) lines.push('', s.heading);
    lines.push(richToPlain(s.body));
  }
  for (const f of m.fields) lines.push(`${f.name}: ${richToPlain(f.value)}`);
  for (const l of m.links) lines.push(`${l.label}: ${l.url.replace(/^mailto:/, '')}`);
  if (m.footer) lines.push('', richToPlain(m.footer));
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
