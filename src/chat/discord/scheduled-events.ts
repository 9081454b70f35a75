import {
  DiscordAPIError,
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
import type { Db } from '../../store/db';
import { agendaLink, contentHash, desiredEvent, fromLive, type DesiredEvent } from './scheduled-event-shape';
import { ScheduledEventLinks, type ScheduledEventLink as Row } from './scheduled-event-links';

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
  private readonly links: ScheduledEventLinks;

  constructor(private readonly options: ScheduledEventSyncOptions) {
    this.links = new ScheduledEventLinks(options.db, options.guildId);
  }

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
    const rows = new Map((await this.links.all()).map((r) => [r.event_id, r]));
    // A meetup whose date is to be confirmed has only a placeholder date: Discord would announce a guess.
    const wanted = catalogue.upcoming(now).filter((e) => e.start > now && !e.dateToBeConfirmed);

    for (const event of wanted) {
      try {
        const desired = desiredEvent(event, settings, this.options.feeds);
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
      await this.links.save(event.id, created.id, hash);
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
    await this.links.save(event.id, current.id, hash);
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
    await this.links.forget(row.event_id);
    return retired;
  }

  /**
   * An event the bot created but never recorded (it crashed between the two) carries this meetup's agenda link:
   * take it over rather than create a duplicate.
   */
  private async adopt(event: MeetupEvent, desired: DesiredEvent, live: Map<string, APIGuildScheduledEvent>): Promise<Row | undefined> {
    const link = agendaLink(event, this.options.feeds);
    const ownId = await this.ownUserId();
    const known = new Set((await this.links.all()).map((r) => r.discord_event_id));
    const orphan = [...live.values()].find((e) => e.creator_id === ownId && e.description?.endsWith(link) && !known.has(e.id));
    if (!orphan) return undefined;
    this.options.log.info({ event: event.id, discordEvent: orphan.id }, 'adopting a Discord scheduled event created before a restart');
    // An empty hash makes the next step bring it up to date if anything differs.
    const matches = contentHash(desired) === contentHash(fromLive(orphan));
    await this.links.save(event.id, orphan.id, matches ? contentHash(desired) : '');
    return { event_id: event.id, discord_event_id: orphan.id, content_hash: matches ? contentHash(desired) : '' };
  }

  private async liveEvents(): Promise<APIGuildScheduledEvent[]> {
    return (await this.options.rest.get(Routes.guildScheduledEvents(this.options.guildId))) as APIGuildScheduledEvent[];
  }

  private async ownUserId(): Promise<string> {
    this.botUserId ??= ((await this.options.rest.get(Routes.user('@me'))) as APIUser).id;
    return this.botUserId;
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
