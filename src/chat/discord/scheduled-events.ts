import { createHash } from 'node:crypto';
import {
  DiscordAPIError,
  GuildScheduledEventEntityType,
  GuildScheduledEventPrivacyLevel,
  GuildScheduledEventStatus,
  RESTJSONErrorCodes,
  Routes,
  type APIGuildScheduledEvent,
  type APIUser,
  type REST,
} from 'discord.js';
import type { DateTime } from 'luxon';
import type { Catalogue } from '../../catalogue/catalogue';
import type { MeetupEvent } from '../../catalogue/event';
import type { CommunitySettings } from '../../catalogue/settings';
import type { FeedLinks } from '../../feeds/links';
import type { Logger } from '../../log';
import { sql } from 'kysely';
import type { Db } from '../../store/db';
import { escapeMarkdown, neutraliseMentions, truncate } from './render';

export interface ScheduledEventSyncOptions {
  db: Db;
  /** discord.js REST client with the bot token set (DiscordChat.rest). */
  rest: REST;
  guildId: string;
  log: Logger;
  feeds: FeedLinks;
}

export interface SyncReport {
  created: number;
  updated: number;
  cancelled: number;
  /** Events that could not be synced this time (logged; tried again on the next sync). */
  failed: number;
}

/** What the bot wants a Discord event to look like; its hash says whether Discord needs an update. */
interface DesiredEvent {
  name: string;
  description: string;
  scheduled_start_time: string;
  scheduled_end_time: string;
  entity_type: GuildScheduledEventEntityType.External;
  entity_metadata: { location: string };
  privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly;
}

interface Row {
  event_id: string;
  discord_event_id: string;
  content_hash: string;
}

const LIMITS = { name: 100, description: 1000, location: 100 } as const;

/**
 * Keeps the guild's native Scheduled Events in step with the catalogue: one external event per upcoming
 * meetup (location = venue and address, or the online link), updated when its title, times, description or
 * location change, cancelled when the meetup is cancelled and deleted when it leaves the catalogue. The mapping
 * lives in discord_scheduled_events, so restarts change nothing; an event created just before a crash (no row
 * yet) is recognised by its agenda link and adopted instead of duplicated.
 */
export class ScheduledEventSync {
  private running: Promise<unknown> = Promise.resolve();
  private botUserId?: string;

  constructor(private readonly options: ScheduledEventSyncOptions) {}

  /** One sync at a time: a reload during a sync waits for it, then syncs the newer catalogue. */
  sync(catalogue: Catalogue, settings: CommunitySettings, now: DateTime): Promise<SyncReport> {
    const next = this.running.then(() => this.syncNow(catalogue, settings, now));
    this.running = next.catch(() => undefined);
    return next;
  }

  private async syncNow(catalogue: Catalogue, settings: CommunitySettings, now: DateTime): Promise<SyncReport> {
    const { guildId, log } = this.options;
    const report: SyncReport = { created: 0, updated: 0, cancelled: 0, failed: 0 };
    const live = new Map((await this.liveEvents()).map((e) => [e.id, e]));
    const rows = new Map((await this.rows()).map((r) => [r.event_id, r]));
    // A meetup whose date is to be confirmed has only a placeholder date: Discord would announce a guess.
    const wanted = catalogue.upcoming(now).filter((e) => e.start > now && !e.dateToBeConfirmed);

    for (const event of wanted) {
      try {
        const desired = this.desired(event, settings);
        const row = rows.get(event.id) ?? (await this.adopt(event, desired, live));
        const outcome = await this.upsert(event, desired, row, live);
        if (outcome) report[outcome]++;
      } catch (error) {
        report.failed++;
        log.error({ err: error, event: event.id, guildId }, 'could not sync a Discord scheduled event');
      }
    }

    const wantedIds = new Set(wanted.map((e) => e.id));
    for (const row of rows.values()) {
      if (wantedIds.has(row.event_id)) continue;
      try {
        if (await this.retire(row, catalogue.byId(row.event_id), live.get(row.discord_event_id), now)) report.cancelled++;
      } catch (error) {
        report.failed++;
        log.error({ err: error, event: row.event_id, guildId }, 'could not cancel a Discord scheduled event');
      }
    }
    if (report.created + report.updated + report.cancelled + report.failed > 0) log.info({ ...report, guildId }, 'Discord scheduled events synced');
    return report;
  }

  /** Creates the Discord event, or updates it when what the bot wants has changed since the last sync. */
  private async upsert(event: MeetupEvent, desired: DesiredEvent, row: Row | undefined, live: Map<string, APIGuildScheduledEvent>): Promise<'created' | 'updated' | undefined> {
    const hash = contentHash(desired);
    const current = row ? live.get(row.discord_event_id) : undefined;
    if (!row || !current) {
      if (row) this.options.log.info({ event: event.id, discordEvent: row.discord_event_id }, 'Discord scheduled event was removed in Discord; creating it again');
      const created = (await this.options.rest.post(Routes.guildScheduledEvents(this.options.guildId), { body: desired })) as APIGuildScheduledEvent;
      await this.save(event.id, created.id, hash);
      return 'created';
    }
    // A started event keeps its time on Discord; finished and cancelled ones are gone from the live list.
    if (row.content_hash === hash || current.status !== GuildScheduledEventStatus.Scheduled) return undefined;
    try {
      await this.options.rest.patch(Routes.guildScheduledEvent(this.options.guildId, current.id), { body: desired });
    } catch (error) {
      if (!isUnknownEvent(error)) throw error;
      live.delete(current.id);
      return this.upsert(event, desired, row, live);
    }
    await this.save(event.id, current.id, hash);
    return 'updated';
  }

  /**
   * A meetup no longer upcoming: cancelled in the catalogue → the Discord event is cancelled (members who
   * marked interest are told); removed from the catalogue, or its date withdrawn (to be confirmed) → deleted.
   * Past ones are only forgotten.
   */
  private async retire(row: Row, event: MeetupEvent | undefined, current: APIGuildScheduledEvent | undefined, now: DateTime): Promise<boolean> {
    const route = Routes.guildScheduledEvent(this.options.guildId, row.discord_event_id);
    let retired = false;
    if (current?.status === GuildScheduledEventStatus.Scheduled) {
      if (event?.status === 'cancelled' && event.start > now) {
        await this.tolerateUnknown(this.options.rest.patch(route, { body: { status: GuildScheduledEventStatus.Canceled } }));
        retired = true;
      } else if (!event || event.dateToBeConfirmed) {
        await this.tolerateUnknown(this.options.rest.delete(route));
        retired = true;
      }
    }
    await this.options.db.run(sql`DELETE FROM discord_scheduled_events WHERE guild_id = ${this.options.guildId} AND event_id = ${row.event_id}`);
    return retired;
  }

  /**
   * An event the bot created but never recorded (it crashed between the two) carries this meetup's agenda link:
   * take it over rather than create a duplicate.
   */
  private async adopt(event: MeetupEvent, desired: DesiredEvent, live: Map<string, APIGuildScheduledEvent>): Promise<Row | undefined> {
    const link = agendaLink(event, this.options.feeds);
    const ownId = await this.ownUserId();
    const known = new Set((await this.rows()).map((r) => r.discord_event_id));
    const orphan = [...live.values()].find((e) => e.creator_id === ownId && e.description?.endsWith(link) && !known.has(e.id));
    if (!orphan) return undefined;
    this.options.log.info({ event: event.id, discordEvent: orphan.id }, 'adopting a Discord scheduled event created before a restart');
    // An empty hash makes the next step bring it up to date if anything differs.
    const matches = contentHash(desired) === contentHash(fromLive(orphan));
    await this.save(event.id, orphan.id, matches ? contentHash(desired) : '');
    return { event_id: event.id, discord_event_id: orphan.id, content_hash: matches ? contentHash(desired) : '' };
  }

  private desired(event: MeetupEvent, settings: CommunitySettings): DesiredEvent {
    return {
      name: truncate(neutraliseMentions(event.title), LIMITS.name),
      description: describe(event, agendaLink(event, this.options.feeds)),
      scheduled_start_time: event.start.toUTC().toISO()!,
      scheduled_end_time: event.end.toUTC().toISO()!,
      entity_type: GuildScheduledEventEntityType.External,
      entity_metadata: { location: location(event, settings) },
      privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
    };
  }

  private async liveEvents(): Promise<APIGuildScheduledEvent[]> {
    return (await this.options.rest.get(Routes.guildScheduledEvents(this.options.guildId))) as APIGuildScheduledEvent[];
  }

  private async ownUserId(): Promise<string> {
    this.botUserId ??= ((await this.options.rest.get(Routes.user('@me'))) as APIUser).id;
    return this.botUserId;
  }

  private rows(): Promise<Row[]> {
    return this.options.db.rows(sql<Row>`SELECT event_id, discord_event_id, content_hash FROM discord_scheduled_events WHERE guild_id = ${this.options.guildId}`);
  }

  private async save(eventId: string, discordEventId: string, hash: string): Promise<void> {
    await this.options.db.run(
      sql`INSERT INTO discord_scheduled_events (guild_id, event_id, discord_event_id, content_hash) VALUES (${this.options.guildId}, ${eventId}, ${discordEventId}, ${hash})
          ON CONFLICT (guild_id, event_id) DO UPDATE SET discord_event_id = excluded.discord_event_id, content_hash = excluded.content_hash`,
    );
  }

  private async tolerateUnknown(request: Promise<unknown>): Promise<void> {
    try {
      await request;
    } catch (error) {
      if (!isUnknownEvent(error)) throw error;
    }
  }
}

function isUnknownEvent(error: unknown): boolean {
  return error instanceof DiscordAPIError && (error.code === RESTJSONErrorCodes.UnknownGuildScheduledEvent || error.status === 404);
}

function agendaLink(event: MeetupEvent, feeds: FeedLinks): string {
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

function fromLive(e: APIGuildScheduledEvent): DesiredEvent {
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

function contentHash(d: DesiredEvent): string {
  const canonical = [d.name, d.description, new Date(d.scheduled_start_time).toISOString(), new Date(d.scheduled_end_time).toISOString(), d.entity_metadata.location];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
