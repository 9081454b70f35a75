import { createHash } from 'node:crypto';
import { GuildScheduledEventEntityType, GuildScheduledEventPrivacyLevel, type APIGuildScheduledEvent } from 'discord.js';
import type { MeetupEvent } from '../../catalogue/event';
import type { CommunitySettings } from '../../catalogue/settings';
import type { FeedLinks } from '../../feeds/links';
import { escapeMarkdown, neutraliseMentions } from './escape';
import { truncate } from './text';

/** What the bot wants a Discord event to look like; its hash says whether Discord needs an update. */
export interface DesiredEvent {
  name: string;
  description: string;
  scheduled_start_time: string;
  scheduled_end_time: string;
  entity_type: GuildScheduledEventEntityType.External;
  entity_metadata: { location: string };
  privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly;
}

const LIMITS = { name: 100, description: 1000, location: 100 } as const;

/** The Discord event a meetup should have: an external event at its place (or online link), guild only. */
export function desiredEvent(event: MeetupEvent, settings: CommunitySettings, feeds: FeedLinks): DesiredEvent {
  return {
    name: truncate(neutraliseMentions(event.title), LIMITS.name),
    description: describe(event, agendaLink(event, feeds)),
    scheduled_start_time: event.start.toUTC().toISO()!,
    scheduled_end_time: event.end.toUTC().toISO()!,
    entity_type: GuildScheduledEventEntityType.External,
    entity_metadata: { location: location(event, settings) },
    privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
  };
}

export function agendaLink(event: MeetupEvent, feeds: FeedLinks): string {
  return event.url ?? feeds.event(event.id);
}

function location(event: MeetupEvent, settings: CommunitySettings): string {
  const place = [event.venue, event.address].filter(Boolean).join(', ');
  const text = place || event.online || `${settings.name}: location to be announced`;
  return truncate(neutraliseMentions(text), LIMITS.location);
}

/**
 * Summary, then the talks, then the link to the full agenda, within Discord's 1000 characters: the link always
 * survives, the prose gives way. Descriptions show markdown, so text from event files is escaped like a
 * message's (no `[x](javascript:…)`, no `**` breaking out), and mention syntax is broken as well.
 */
export function describe(event: MeetupEvent, link: string): string {
  const talks = event.talks.map((t) => {
    const speakers = t.speakers.map((s) => (s.company ? `${s.name} (${s.company})` : s.name)).join(', ');
    return `• ${escapeMarkdown(t.title)}${speakers ? ` — ${escapeMarkdown(speakers)}` : ''}`;
  });
  const online = event.online && (event.venue || event.address) ? [`Online: ${escapeMarkdown(event.online)}`] : [];
  const body = neutraliseMentions([event.summary && escapeMarkdown(event.summary), talks.join('\n'), ...online].filter(Boolean).join('\n\n'));
  const tail = `Full agenda: ${link}`;
  const room = LIMITS.description - tail.length - 2;
  if (room < 20 || !body) return truncate(tail, LIMITS.description);
  return `${truncate(body, room)}\n\n${tail}`;
}

export function fromLive(e: APIGuildScheduledEvent): DesiredEvent {
  return {
    name: e.name,
    description: e.description ?? '',
    scheduled_start_time: new Date(e.scheduled_start_time).toISOString(),
    scheduled_end_time: e.scheduled_end_time ? new Date(e.scheduled_end_time).toISOString() : '',
    entity_type: GuildScheduledEventEntityType.External,
    entity_metadata: { location: e.entity_metadata?.location ?? '' },
    privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
  };
}

export function contentHash(d: DesiredEvent): string {
  const canonical = [d.name, d.description, new Date(d.scheduled_start_time).toISOString(), new Date(d.scheduled_end_time).toISOString(), d.entity_metadata.location];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
