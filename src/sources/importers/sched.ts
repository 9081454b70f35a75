/**
 * Sched's ICS export (`https://<conf>.sched.com/all.ics`): one VEVENT per session, times in UTC, the room as
 * LOCATION, the track as CATEGORIES, the session page as URL, and the people at the end of DESCRIPTION
 * ("Speakers: Jane Doe (Acme), John Roe", "Moderators: ..."). Some sessions name their speaker in the text
 * instead ("Presented by Stefan Safar, Seznam.cz"). The whole export is one multi-day event.
 */
import type { Session, Speaker } from '../../catalogue/event';
import { readCalendar } from './calendar';
import { conferenceEvent, safeLink, speakerList, uidPart, type Importer } from './event';

const PEOPLE_LINE = /^(Speakers?|Moderators?|Presenters?|Panelists?):\s*(.*)$/i;
const PRESENTED_BY = /^Presented by\s+(.+?)(?:,\s*(.+))?$/i;

export const importSchedIcs: Importer = (body, context) => {
  const calendar = readCalendar(body, context);
  const sessions = calendar.occurrences.filter((o) => o.title !== '').map((o): Session => {
    const { abstract, speakers } = people(o.description);
    return {
      id: uidPart(o.recurrenceId ? `${o.uid}-${o.recurrenceId}` : o.uid),
      title: o.title,
      start: o.start,
      end: o.end,
      room: o.location,
      track: o.categories[0],
      speakers,
      abstract,
      links: [safeLink(o.url, 'Session page')].filter((l) => l !== undefined),
      cancelled: o.cancelled || undefined,
    };
  });
  return [conferenceEvent(context, sessions, { title: calendar.name, timeZone: calendar.timeZone })];
};

function people(description: string | undefined): { abstract?: string; speakers: Speaker[] } {
  if (!description) return { speakers: [] };
  const speakers: Speaker[] = [];
  const kept: string[] = [];
  for (const line of description.split('\n')) {
    const named = PEOPLE_LINE.exec(line.trim());
    const presented = PRESENTED_BY.exec(line.trim());
    if (named) speakers.push(...speakerList(named[2]!));
    else if (presented && speakers.length === 0) speakers.push({ name: presented[1]!.trim(), ...(presented[2] ? { company: presented[2].trim() } : {}) });
    if (!named) kept.push(line);
  }
  const abstract = kept.join('\n').trim();
  return { abstract: abstract === '' ? undefined : abstract, speakers };
}
