/**
 * What every importer shares: the context it runs in, stable ids from the source's UIDs, safe links, and the
 * one way a conference schedule (sessions) becomes a single multi-day event.
 */
import { createHash } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { Link, MeetupEvent, Session, Speaker } from '../../catalogue/event';
import { safeUrl } from '../../catalogue/safe-url';
import type { CommunitySettings } from '../../catalogue/settings';
import { SOURCES_FILE, type SourceConfig } from './config';

export interface ImportContext {
  source: SourceConfig;
  settings: CommunitySettings;
  now: DateTime;
}

/** Turns a fetched body into events. Throws ImportError (the organizers are told its message) when unreadable. */
export type Importer = (body: string, context: ImportContext) => MeetupEvent[];

/** A source's content could not be read: what is wrong, in words an organizer can act on. */
export class ImportError extends Error {}

/**
 * An id part from a source's UID: readable when the UID is ("event_307123456@meetup.com" → "event-307123456"),
 * else a short hash, so the same UID always gives the same id and feeds and posts follow edits.
 */
export function uidPart(uid: string): string {
  const local = uid.split('@')[0]!.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (local.length > 0 && local.length <= 32) return local;
  return createHash('sha256').update(uid).digest('hex').slice(0, 12);
}

/** Only http(s) links leave an import: a feed must not put javascript: or a chat mention behind a label. */
export function safeLink(url: unknown, label: string): Link | undefined {
  if (typeof url !== 'string') return undefined;
  const trimmed = url.trim();
  if (!/^https?:\/\//i.test(trimmed)) return undefined;
  const checked = safeUrl(trimmed);
  return checked ? { label, url: checked } : undefined;
}

/** Plain text from a schedule's Markdown or HTML abstract: tags dropped, entities read, blank runs squeezed. */
export function plainText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|li|div|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text === '' ? undefined : text;
}

export function sourceFile(source: SourceConfig): string {
  return `${SOURCES_FILE}#${source.name}`;
}

/** The fields every imported event has the same way. */
export function importedBase(context: ImportContext, uid: string): Pick<MeetupEvent, 'dateSource' | 'agenda' | 'talks' | 'slides' | 'recordings' | 'announce' | 'channels' | 'source'> {
  return {
    dateSource: 'import',
    agenda: [],
    talks: [],
    slides: [],
    recordings: [],
    announce: context.source.announce,
    ...(context.source.channels ? { channels: context.source.channels.map((c) => ({ ...c })) } : {}),
    source: { file: sourceFile(context.source), uid, url: context.source.url },
  };
}

export interface ConferenceMeta {
  /** The schedule's own name and zone, when it has them; the source config wins. */
  title?: string;
  timeZone?: string;
  venue?: string;
  url?: string;
  cancelled?: boolean;
}

/**
 * A conference schedule is one event: id = the source's name, from its first session's start to its last one's
 * end, in its own zone. Sessions come sorted by start, then room, then title, so days read the same each time.
 */
export function conferenceEvent(context: ImportContext, sessions: Session[], meta: ConferenceMeta): MeetupEvent {
  const { source, settings } = context;
  if (sessions.length === 0) throw new ImportError('The schedule has no sessions with a start and an end: is it published yet?');
  const zone = source.timeZone ?? meta.timeZone ?? settings.timeZone;
  const sorted = sessions
    .map((s) => ({ ...s, start: s.start.setZone(zone), end: s.end.setZone(zone) }))
    .sort((a, b) => a.start.toMillis() - b.start.toMillis() || (a.room ?? '').localeCompare(b.room ?? '') || a.title.localeCompare(b.title));
  const start = sorted[0]!.start;
  const end = sorted.reduce((latest, s) => (s.end > latest ? s.end : latest), sorted[0]!.end);
  const link = source.link ?? meta.url;
  return {
    ...importedBase(context, source.url),
    id: source.name,
    title: source.title ?? meta.title ?? source.name,
    start,
    end,
    venue: source.venue ?? meta.venue,
    url: safeLink(link, 'Website')?.url,
    status: meta.cancelled ? 'cancelled' : 'scheduled',
    timeZone: zone,
    sessions: sorted,
  };
}

/** "Jane Doe (Acme, Inc.), John Roe" → speakers; commas inside the parentheses stay with the company. */
export function speakerList(text: string): Speaker[] {
  const speakers: Speaker[] = [];
  let depth = 0;
  let current = '';
  const flush = () => {
    const entry = current.trim();
    current = '';
    if (!entry) return;
    const m = /^(.*?)\s*\((.+)\)$/.exec(entry);
    speakers.push(m ? { name: m[1]!.trim(), company: m[2]!.trim() } : { name: entry });
  };
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) flush();
    else current += ch;
  }
  flush();
  return speakers.filter((s) => s.name.length > 0);
}
