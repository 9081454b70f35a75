/**
 * Sessionize's public API, `https://sessionize.com/api/v2/<id>/view/All`: sessions (startsAt/endsAt as the
 * event's wall time, without an offset), speakers, rooms and categories by id. Service sessions (breaks, lunch)
 * are kept: they are on the printed schedule too. The zone is the source's `timeZone` (Sessionize does not say).
 */
import { DateTime } from 'luxon';
import type { Link, Session, Speaker } from '../../catalogue/event';
import { conferenceEvent, ImportError, plainText, safeLink, type Importer } from './event';

interface SessionizeAll {
  sessions?: Array<{
    id?: string | number;
    title?: string;
    description?: string | null;
    startsAt?: string | null;
    endsAt?: string | null;
    isServiceSession?: boolean;
    speakers?: string[];
    categoryItems?: number[];
    roomId?: number | null;
    liveUrl?: string | null;
    recordingUrl?: string | null;
    status?: string | null;
  }>;
  speakers?: Array<{ id: string; fullName?: string; firstName?: string; lastName?: string; tagLine?: string; bio?: string | null }>;
  rooms?: Array<{ id: number; name: string }>;
  categories?: Array<{ id: number; title: string; type?: string; items?: Array<{ id: number; name: string }> }>;
}

export const importSessionize: Importer = (body, context) => {
  let data: SessionizeAll;
  try {
    data = JSON.parse(body) as SessionizeAll;
  } catch (error) {
    throw new ImportError(`This is not JSON (${(error as Error).message}): use the API's "All Data" JSON endpoint (…/api/v2/<id>/view/All).`);
  }
  if (!data || !Array.isArray(data.sessions)) throw new ImportError('No "sessions" list in this JSON: point the source at Sessionize\'s view/All endpoint, not view/Sessions or view/GridSmart.');
  const zone = context.source.timeZone ?? context.settings.timeZone;
  const rooms = new Map((data.rooms ?? []).map((r) => [r.id, r.name]));
  const speakers = new Map((data.speakers ?? []).map((s): [string, Speaker] => [s.id, { name: (s.fullName ?? `${s.firstName ?? ''} ${s.lastName ?? ''}`).trim(), ...(s.tagLine ? { company: s.tagLine } : {}) }]));
  const trackCategory = (data.categories ?? []).find((c) => /track/i.test(c.title)) ?? (data.categories ?? []).find((c) => (c.type ?? 'session') === 'session');
  const tracks = new Map((trackCategory?.items ?? []).map((i) => [i.id, i.name]));
  const formatCategory = (data.categories ?? []).find((c) => /format|type/i.test(c.title) && c !== trackCategory);
  const formats = new Map((formatCategory?.items ?? []).map((i) => [i.id, i.name]));

  const sessions: Session[] = [];
  for (const s of data.sessions) {
    if (!s.title || !s.startsAt || !s.endsAt) continue;
    const start = DateTime.fromISO(s.startsAt, { zone });
    const end = DateTime.fromISO(s.endsAt, { zone });
    if (!start.isValid || !end.isValid) continue;
    const links = [safeLink(s.liveUrl, 'Live stream'), safeLink(s.recordingUrl, 'Recording')].filter((l): l is Link => l !== undefined);
    sessions.push({
      id: String(s.id ?? `${s.startsAt}-${s.title}`),
      title: s.title.trim(),
      start,
      end,
      room: s.roomId != null ? rooms.get(s.roomId) : undefined,
      track: (s.categoryItems ?? []).map((id) => tracks.get(id)).find((t) => t !== undefined),
      kind: s.isServiceSession ? 'break' : ((s.categoryItems ?? []).map((id) => formats.get(id)).find((f) => f !== undefined)?.toLowerCase() ?? 'talk'),
      speakers: (s.speakers ?? []).map((id) => speakers.get(id)).filter((p): p is Speaker => p !== undefined && p.name !== ''),
      abstract: plainText(s.description ?? undefined),
      links,
      cancelled: /cancel/i.test(s.status ?? '') || undefined,
    });
  }
  return [conferenceEvent(context, sessions, { timeZone: zone })];
};
