import path from 'node:path';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { EventsSourceConfig } from '../config-events';
import type { CommunityDiscord, CommunitySlack } from '../catalogue/settings';
import type { Db } from '../store/db';
import type { DataSource } from '../sources/watch';
import { Imports } from '../sources/importers/imports';
import type { GitFollower } from '../sources/follow';
import { openEventsSource } from '../sources/source';
import { dateToConfirmNotices } from '../sources/date-notice';
import { Removals } from '../sources/removals';
import { RemovalStore } from '../sources/removal-store';
import { ParseCacheStore } from '../sources/parse-cache-store';
import { removalNotices } from '../sources/removal-notice';
import type { CommandDefinition, CommandServices } from '../commands/definition';
import type { Destination } from '../chat/adapter';
import { message } from '../chat/message';
import { createDispatcher, type Dispatcher } from '../chat/dispatch';
import { feedLinks, type FeedLinks } from '../feeds/links';
import { FeedCatalogue } from '../feeds/catalogue';
import type { FeedSequences } from '../feeds/sequence';
import { AnnouncementStore } from '../schedule/announcements';
import type { ScheduledCommunity } from '../schedule/community-pass';
import { Outbox } from '../schedule/outbox';
import { RsvpService } from '../rsvp/service';
import type { RsvpRuntime } from '../rsvp/runtime';
import { countsText } from '../rsvp/present';
import type { CfpStore } from '../cfp/submissions';
import { organizerNotices } from '../bot/organizer-notices';
import type { CommunityId } from './scope';

/** What makes one community: its folder, its channels, its public URL. */
export interface CommunitySpec {
  id: CommunityId;
  /** Its URL segment (/c/<slug>/), undefined for the single community. */
  slug?: string;
  dataDir: string;
  events: EventsSourceConfig;
  /** BOT_TIMEZONE, when set. */
  timeZone?: string;
  destinations: Destination[];
  organizers: Destination[];
  /** Where its feeds and page are: PUBLIC_URL, or PUBLIC_URL/c/<slug>. */
  publicUrl: string;
  /** Where last good copies of imported calendars are kept; undefined keeps them in memory. */
  importsCacheDir?: string;
  slack?: CommunitySlack;
  discord?: CommunityDiscord;
  rsvpRetentionDays: number;
}

/** The process-wide parts every community uses. */
export interface SharedParts {
  db: Db;
  clock: Clock;
  log: Logger;
  commands: Map<string, CommandDefinition>;
  cfp: CfpStore;
  feedSequences: FeedSequences;
  /** Asks the scheduler for a pass that sees rows just written (undefined before it exists). */
  deliverNow: () => Promise<unknown> | undefined;
  /** A tick that sees what just changed (a reload, an RSVP message queued): after the one running, if any. */
  tick: () => void;
}

/**
 * One community's data (catalogue, rules, imported calendars, removals), the services its commands see, its feeds
 * and what the scheduler plans for it. Everything it stores is under its community id in the shared database.
 */
export class Community {
  readonly data: DataSource;
  readonly follower?: GitFollower;
  readonly imports: Imports;
  readonly feeds: FeedCatalogue;
  readonly links: FeedLinks;
  readonly services: CommandServices;
  readonly dispatcher: Dispatcher;
  readonly rsvp: RsvpService;
  readonly scheduled: ScheduledCommunity;
  /** Set once the chat adapters exist (bot.ts). */
  runtime?: RsvpRuntime;
  interested?: (eventId: string) => Promise<string[] | undefined>;
  private readonly fetchAtStart: boolean;

  private constructor(
    readonly spec: CommunitySpec,
    private readonly shared: SharedParts,
    private readonly removals: Removals,
    private readonly notices: ReturnType<typeof organizerNotices>,
    source: Awaited<ReturnType<typeof openEventsSource>>,
  ) {
    const { db, clock, log } = shared;
    ({ data: this.data, follower: this.follower, fetchAtStart: this.fetchAtStart } = source);
    const settings = () => this.data.current().settings;
    const now = () => clock.now().setZone(settings().timeZone);
    this.links = feedLinks(spec.publicUrl);
    // Imported calendars join the files' events in one catalogue.
    this.imports = new Imports({ dataDir: spec.dataDir, cacheDir: spec.importsCacheDir, log, settings, now, notify: (text) => notices.notify(message({ title: 'Calendar import', intro: [text] })) });
    this.data.setImported(this.imports.events());
    this.imports.onChange((events) => this.data.setImported(events));
    this.rsvp = new RsvpService({
      db,
      now,
      notifyOrganizers: notices.notify,
      log,
      retentionDays: spec.rsvpRetentionDays,
      community: spec.id,
      onChange: (eventId) => this.runtime?.changed(eventId),
      onQueued: shared.tick,
      interested: async (eventId) => this.interested?.(eventId),
    });
    const rules = source.rules;
    this.scheduled = { id: spec.id, source: () => this.data.current(), rules, destinations: spec.destinations, organizers: spec.organizers, feeds: this.links };
    this.services = {
      catalogue: () => this.data.current().catalogue,
      settings,
      now,
      feeds: this.links,
      cfp: shared.cfp,
      announcements: new AnnouncementStore({ db, clock, community: this.scheduled }),
      notifyOrganizers: notices.notify,
      rsvp: this.rsvp,
      removals,
    };
    this.dispatcher = createDispatcher(shared.commands, this.services, log);
    this.feeds = new FeedCatalogue({
      sequences: shared.feedSequences,
      publicUrl: spec.publicUrl,
      rsvpCounts: async (event) => (event.rsvp ? countsText(await this.rsvp.counts(event.id), event.rsvp.capacity) : undefined),
    });
  }

  static async open(spec: CommunitySpec, shared: SharedParts): Promise<Community> {
    const log = spec.slug === undefined ? shared.log : shared.log.child({ community: spec.slug });
    const parts = { ...shared, log };
    const notices = organizerNotices({ outbox: new Outbox(shared.db, spec.id), organizers: spec.organizers, clock: shared.clock, log, deliverNow: shared.deliverNow });
    // Deleted posts of upcoming meetups stay in service until an organizer confirms; each is asked about once.
    const removals = new Removals({ store: new RemovalStore(shared.db, spec.id), now: () => shared.clock.now(), log });
    await removals.load();
    const source = await openEventsSource({ events: spec.events, dataDir: spec.dataDir, timeZone: spec.timeZone, log, clock: shared.clock, notify: notices.report, removals, parseCache: new ParseCacheStore(shared.db, spec.id) });
    const community = new Community(spec, parts, removals, notices, source);
    // One community renders its feeds at once, as always. Among many, each renders on its first request after a
    // change: a thousand communities start without rendering a thousand calendars nobody asked for yet.
    if (spec.slug === undefined) await community.reloadFeeds();
    community.data.onChange(() => community.changed());
    return community;
  }

  get log(): Logger {
    return this.shared.log;
  }

  /** Starts following its data: files, imported calendars, the repository. */
  start(): void {
    this.data.start();
    this.imports.start();
    this.follower?.start();
    if (this.fetchAtStart) void this.follower?.fetchNow('start');
  }

  /** Once the scheduler runs: what the organizers should hear about the data, the RSVP timers, `startedHooks`. */
  started(): void {
    this.noticeMissingDates();
    this.askAboutRemovals();
    this.runtime?.start();
    for (const hook of this.startedHooks) hook();
  }

  /** Stops following its data (when `start` ran), its imports, and lets pending removal records reach the database. */
  async stop(dataRunning: boolean): Promise<void> {
    if (dataRunning) {
      await this.follower?.stop();
      this.data.stop();
    }
    this.imports.stop();
    await Promise.all([this.removals.flushed(), this.data.flushed()]);
  }

  /** Extra work on every data change (Discord's Scheduled Events), besides feeds, notices and a tick. */
  onChanged?: () => void;
  /** Extra work once started (the first Scheduled Events sync). */
  readonly startedHooks: (() => void)[] = [];

  private changed(): void {
    if (this.spec.slug === undefined) void this.reloadFeeds().catch((err: unknown) => this.log.error({ err }, 'feeds update failed'));
    else this.feedsStale = true;
    this.noticeMissingDates();
    this.askAboutRemovals();
    this.onChanged?.();
    this.shared.tick();
  }

  private feedsStale = true;
  private feedsBuilt?: Promise<void>;

  /** The feeds as of the current data: rendered now if the data changed since they last were. */
  currentFeeds(): Promise<void> {
    if (this.feedsStale) {
      this.feedsStale = false;
      this.feedsBuilt = this.reloadFeeds().catch((err: unknown) => {
        this.feedsStale = true;
        this.log.error({ err }, 'feeds update failed');
      });
    }
    return this.feedsBuilt ?? Promise.resolve();
  }

  /** What /healthz reports: the data is loaded once the community exists; feeds are rendered when asked for. */
  health(): { events: number; lastReload: string | null } {
    return { events: this.data.current().catalogue.events.length, lastReload: this.feeds.health().lastReload };
  }

  async reloadFeeds(): Promise<void> {
    const started = performance.now();
    const { catalogue, settings } = this.data.current();
    await this.feeds.update(catalogue, settings, this.shared.clock.now());
    this.log.debug({ events: catalogue.events.length, ms: Math.round(performance.now() - started) }, 'feeds updated');
  }

  /** Once per post that gives no meetup date: which file needs `eventDate:` (the outbox keeps the key). */
  private noticeMissingDates(): void {
    void this.notices.tell(dateToConfirmNotices(this.data.current().catalogue.events, this.shared.clock.now())).catch((err: unknown) => this.log.error({ err }, 'could not tell the organizers about posts without a date'));
  }

  private askAboutRemovals(): void {
    void this.notices.tell(removalNotices(this.removals.pending())).catch((err: unknown) => this.log.error({ err }, 'could not ask the organizers about removed posts'));
  }
}

/** Where a community's imported calendars keep their last good copies: beside the database, one folder each. */
export function importsCacheDir(databasePath: string, slug?: string): string | undefined {
  if (databasePath === ':memory:') return undefined;
  const dir = path.join(path.dirname(databasePath), 'imports');
  return slug === undefined ? dir : path.join(dir, slug);
}
