/**
 * Community calendars in ICS (Meetup.com's group feed, Luma, a Google Calendar's public address): each instance
 * is one event. Ids come from the source name and the UID (plus the instance's original date for a recurring
 * series), so an edited or moved instance stays the same event and STATUS:CANCELLED keeps it listed as cancelled.
 */
import type { MeetupEvent } from '../../catalogue/event';
import { readIcs, type IcsOccurrence } from './ics';
import { importedBase, ImportError, safeLink, uidPart, type ImportContext, type Importer } from './event';

/** Past instances a calendar keeps in view (for /agenda last and the feeds); future ones are expanded a year ahead. */
const PAST_DAYS = 400;
const FUTURE_DAYS = 400;

export const importIcsCalendar: Importer = (body, context) => {
  const calendar = readCalendar(body, context);
  return calendar.occurrences.filter((o) => o.title !== '').map((o) => occurrenceEvent(o, context));
};

export function readCalendar(body: string, context: ImportContext) {
  try {
    return readIcs(body, {
      zone: context.source.timeZone ?? context.settings.timeZone,
      from: context.now.minus({ days: PAST_DAYS }),
      to: context.now.plus({ days: FUTURE_DAYS }),
    });
  } catch (error) {
    throw new ImportError(`This is not an iCalendar file ical.js can read (${error instanceof Error ? error.message : String(error)}): check that the URL is the calendar's .ics address.`);
  }
}

function occurrenceEvent(o: IcsOccurrence, context: ImportContext): MeetupEvent {
  const zone = context.source.timeZone ?? context.settings.timeZone;
  const instance = o.recurrenceId ? `-${o.recurrenceId.slice(0, 10)}${o.recurrenceId.length > 10 && o.recurrenceId.slice(11, 16) !== '00:00' ? `t${o.recurrenceId.slice(11, 16).replace(':', '')}` : ''}` : '';
  const online = o.location && safeLink(o.location, 'Online') ? o.location : undefined;
  const { venue, address } = online ? { venue: undefined, address: undefined } : place(o.location);
  const base = importedBase(context, o.recurrenceId ? `${o.uid}#${o.recurrenceId}` : o.uid);
  return {
    ...base,
    id: `${context.source.name}-${uidPart(o.uid)}${instance}`,
    title: o.title,
    summary: o.description?.split(/\n\s*\n/)[0]?.trim(),
    start: o.start.setZone(zone),
    end: o.end.setZone(zone),
    venue,
    address,
    online,
    url: safeLink(o.url, 'Event page')?.url,
    status: o.cancelled ? 'cancelled' : 'scheduled',
  };
}

/** "Celonis (Theresienstraße 6, München)" or "Celonis, Theresienstraße 6, München" → venue and address. */
function place(location: string | undefined): { venue?: string; address?: string } {
  if (!location) return {};
  const paren = /^(.+?)\s*\((.+)\)$/.exec(location);
  if (paren) return { venue: paren[1]!.trim(), address: paren[2]!.trim() };
  const comma = location.indexOf(',');
  return comma > 0 ? { venue: location.slice(0, comma).trim(), address: location.slice(comma + 1).trim() } : { venue: location };
}
