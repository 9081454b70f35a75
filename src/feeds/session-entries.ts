import { ICalEventStatus } from 'ical-generator';
import type { MeetupEvent, Session, Speaker } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import type { FeedEntry } from './entries';

/**
 * One entry per session of a multi-day event (an imported conference schedule or YAML `sessions:`). The UID is
 * the event's plus the session's own id (the schedule's guid/UID, or the YAML slot), so a moved or retitled
 * session is updated in place; times stay in the event's zone and the room leads LOCATION, where a calendar
 * shows it at a glance.
 */
export function sessionEntries(event: MeetupEvent, settings: CommunitySettings, domain: string): FeedEntry[] {
  const zone = event.timeZone ?? settings.timeZone;
  const eventCancelled = event.status === 'cancelled';
  return (event.sessions ?? []).map((session) => {
    const cancelled = eventCancelled || session.cancelled === true;
    const title = `${session.title}${session.speakers.length ? ` (${names(session.speakers)})` : ''}`;
    return {
      uid: `${encodeURIComponent(event.id)}-session-${encodeURIComponent(session.id)}@${domain}`,
      summary: cancelled ? `CANCELLED: ${title}` : title,
      description: description(event, session, eventCancelled),
      location: [session.room, event.venue].filter(Boolean).join(', ') || undefined,
      start: session.start.setZone(zone),
      end: session.end.setZone(zone),
      url: session.links[0]?.url ?? event.url,
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    };
  });
}

function description(event: MeetupEvent, session: Session, eventCancelled: boolean): string {
  const blocks: string[] = [];
  if (eventCancelled) blocks.push(`${event.title} has been cancelled.`);
  else if (session.cancelled) blocks.push('This session has been cancelled.');
  blocks.push([session.kind ? capitalised(session.kind) : 'Session', ' at ', event.title, session.track ? ` · ${session.track}` : ''].join(''));
  if (session.speakers.length > 0) blocks.push(`Speakers: ${names(session.speakers)}`);
  if (session.abstract) blocks.push(session.abstract);
  if (session.links.length > 0) blocks.push(['Links:', ...session.links.map((l) => `- ${l.label}: ${l.url}`)].join('\n'));
  if (event.url) blocks.push(`Event: ${event.url}`);
  return blocks.join('\n\n');
}

function names(speakers: Speaker[]): string {
  return speakers.map((s) => (s.company ? `${s.name}, ${s.company}` : s.name)).join('; ');
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
