import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Config } from './config';
import { systemClock, type Clock } from './clock';
import { createLogger, type Logger } from './log';
import type { Db } from './store/db';
import type { DataSource } from './sources/watch';
import { Imports } from './sources/importers/imports';
import type { GitFollower } from './sources/follow';
import { openEventsSource } from './sources/source';
import { dateToConfirmNotices } from './sources/date-notice';
import { Removals } from './sources/removals';
import { RemovalStore } from './sources/removal-store';
import { removalNotices } from './sources/removal-notice';
import { loadCommands } from './commands/registry';
import type { CommandServices } from './commands/definition';
import type { ChatAdapter } from './chat/adapter';
import { message } from './chat/message';
import { createDispatcher } from './chat/dispatch';
import { ConsoleChat } from './chat/console/console';
import type { DiscordChat } from './chat/discord/adapter';
import type { ScheduledEventSync } from './chat/discord/scheduled-events';
import { feedLinks } from './feeds/links';
import { FeedCatalogue } from './feeds/catalogue';
import { HttpServer } from './http/server';
import { Scheduler } from './schedule/scheduler';
import { AnnouncementStore } from './schedule/announcements';
import { RsvpService } from './rsvp/service';
import { RsvpRuntime } from './rsvp/runtime';
import { withDirectMessages } from './rsvp/notices';
import { countsText } from './rsvp/present';
import { listenError } from './startup-errors';
import { openStorage } from './bot/storage';
import { announcementDestinations, organizerDestinations } from './bot/destinations';
import { organizerNotices } from './bot/organizer-notices';
import { chatAdapters, type OrganizerReachingAdapter } from './bot/chat-adapters';
import { addBotRoutes } from './bot/http-routes';

export interface BotOptions {
  clock?: Clock;
  /** Console chat streams (stdin/stdout for `npm start`). */
  input?: Readable;
  output?: Writable;
  log?: Logger;
}

export interface Bot {
  readonly config: Config;
  readonly db: Db;
  readonly data: DataSource;
  /** Set when EVENTS_SOURCE is a git repository. */
  readonly follower?: GitFollower;
  /** The one HTTP server: feeds, page, /healthz, /metrics, Slack's /slack/events (HTTP mode). */
  readonly http: HttpServer;
  readonly feeds: FeedCatalogue;
  /** Calendars and conference schedules from data/sources.yml. */
  readonly imports: Imports;
  readonly scheduler: Scheduler;
  readonly rsvp: RsvpRuntime;
  readonly adapters: readonly ChatAdapter[];
  start(): Promise<void>;
  stop(reason?: string): Promise<void>;
  /** Resolves when the console chat's input has ended (Ctrl-D); undefined without the console chat. */
  inputEnded(): Promise<void> | undefined;
}

/**
 * Wires one bot process: the database, the data source, the services commands see, the chat adapters the
 * config turns on, the feed server and the scheduler. Nothing here decides behaviour; each part does.
 */
export async function createBot(config: Config, options: BotOptions = {}): Promise<Bot> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const storage = openStorage(config, clock);
  const { db } = storage;
  const links = feedLinks(config.http.publicUrl);
  const adapters: OrganizerReachingAdapter[] = [];
  const organizers = organizerDestinations(config);
  let scheduler: Scheduler | undefined;
  const notices = organizerNotices({ outbox: storage.outbox, organizers, clock, log, deliverNow: () => scheduler?.tickAfterWrite() });
  const notifyOrganizers = notices.notify;
  // Once per post that gives no meetup date: which file needs `eventDate:` (the outbox keeps the key).
  const noticeMissingDates = () =>
    void notices.tell(dateToConfirmNotices(data.current().catalogue.events, clock.now())).catch((err: unknown) => log.error({ err }, 'could not tell the organizers about posts without a date'));
  // Deleted posts of upcoming meetups stay in service until an organizer confirms; each is asked about once.
  const removals = new Removals({ store: new RemovalStore(db), now: () => clock.now(), log });
  await removals.load();
  const askAboutRemovals = () =>
    void notices.tell(removalNotices(removals.pending())).catch((err: unknown) => log.error({ err }, 'could not ask the organizers about removed posts'));
  const source = await openEventsSource({ events: config.events, dataDir: config.dataDir, timeZone: config.timeZone, log, clock, notify: notices.report, removals });
  const { data, follower, rules } = source;
  const settings = () => data.current().settings;
  const now = () => clock.now().setZone(settings().timeZone);

  // Imported calendars join the files' events in one catalogue; last good copies are kept beside the database.
  const imports = new Imports({
    dataDir: config.dataDir,
    cacheDir: config.databasePath === ':memory:' ? undefined : path.join(path.dirname(config.databasePath), 'imports'),
    log,
    settings,
    now,
    notify: (text) => notifyOrganizers(message({ title: 'Calendar import', intro: [text] })),
  });
  data.setImported(imports.events());
  imports.onChange((events) => data.setImported(events));

  const destinations = announcementDestinations(config);
  // Filled in once the adapters and the scheduler exist; RSVPs only reach them after start.
  const late: { runtime?: RsvpRuntime; scheduler?: Scheduler; interested?: (eventId: string) => Promise<string[] | undefined> } = {};
  const rsvp = new RsvpService({
    db,
    now,
    notifyOrganizers,
    log,
    retentionDays: config.rsvp.retentionDays,
    onChange: (eventId) => late.runtime?.changed(eventId),
    onQueued: () => void late.scheduler?.tick().catch((err: unknown) => log.error({ err }, 'scheduler tick for RSVP messages failed')),
    interested: async (eventId) => late.interested?.(eventId),
  });
  const services: CommandServices = {
    catalogue: () => data.current().catalogue,
    settings,
    now,
    feeds: links,
    cfp: storage.cfp,
    // Same rules and channels as the scheduler, so a preview shows exactly what will be posted.
    announcements: new AnnouncementStore({ db, clock, source: () => data.current(), rules, destinations, feeds: links }),
    notifyOrganizers,
    rsvp,
    removals,
  };
  const commands = loadCommands();
  const dispatcher = createDispatcher(commands, services, log);
  const http = new HttpServer({ host: config.http.host, port: config.http.port, log });

  adapters.push(...(await chatAdapters(config, { commands, dispatcher, log, http, seenRequests: storage.seenRequests, input: options.input, output: options.output })));
  const discord = adapters.find((a): a is DiscordChat & OrganizerReachingAdapter => a.platform === 'discord');

  scheduler = new Scheduler({
    db,
    clock,
    // A test clock (options.clock) drives the monotonic time too, so that setting it is not taken for a step.
    mono: options.clock ? () => clock.now().toMillis() : undefined,
    // Direct messages to members (RSVP promotions, reminders) go through the same outbox as announcements.
    posters: adapters.map((adapter) => withDirectMessages(adapter)),
    destinations,
    organizers,
    source: () => data.current(),
    rules,
    log,
    graceMinutes: config.schedule.graceMinutes,
    onChange: config.schedule.onChange,
    feeds: links,
    cron: config.schedule.cron,
  });

  late.scheduler = scheduler;
  late.runtime = new RsvpRuntime({ db, service: rsvp, posters: adapters, catalogue: () => data.current().catalogue, clock, log, onCountsChanged: () => feeds.refreshPage(clock.now()) });
  if (discord && config.discord?.guildId) {
    const { interestedReader } = await import('./chat/discord/interested');
    late.interested = interestedReader(db, discord.rest, config.discord.guildId);
  }

  const feeds = new FeedCatalogue({
    sequences: storage.feedSequences,
    publicUrl: config.http.publicUrl,
    rsvpCounts: (event) => (event.rsvp ? countsText(rsvp.counts(event.id), event.rsvp.capacity) : undefined),
  });
  const reloadFeeds = (catalogue = data.current().catalogue, current = settings()) => {
    const started = performance.now();
    feeds.update(catalogue, current, clock.now());
    log.debug({ events: catalogue.events.length, ms: Math.round(performance.now() - started) }, 'feeds updated');
  };
  reloadFeeds();
  addBotRoutes(http, { config, feeds, clock, follower, log });

  let eventSync: ScheduledEventSync | undefined;
  if (discord && config.discord?.guildId && config.discord.syncScheduledEvents) {
    const { ScheduledEventSync } = await import('./chat/discord/scheduled-events');
    eventSync = new ScheduledEventSync({ db, rest: discord.rest, guildId: config.discord.guildId, log, feeds: links });
  }
  const syncDiscordEvents = () =>
    eventSync?.sync(data.current().catalogue, settings(), now()).catch((err: unknown) => log.error({ err }, 'discord scheduled events sync failed'));

  data.onChange((catalogue, newSettings) => {
    reloadFeeds(catalogue, newSettings);
    noticeMissingDates();
    askAboutRemovals();
    void syncDiscordEvents();
    void scheduler.tick().catch((err: unknown) => log.error({ err }, 'scheduler tick after reload failed'));
  });

  const running = { http: false, adapters: [] as ChatAdapter[], data: false, scheduler: false, rsvp: false };
  return {
    config,
    db,
    data,
    follower,
    http,
    feeds,
    imports,
    scheduler,
    rsvp: late.runtime,
    adapters,
    inputEnded() {
      return adapters.find((a): a is ConsoleChat & OrganizerReachingAdapter => a instanceof ConsoleChat)?.finished();
    },
    async start() {
      await http.start().catch((err: unknown) => {
        throw listenError(err, { port: 'HTTP_PORT', host: 'HTTP_HOST' }, config.http);
      });
      running.http = true;
      for (const adapter of adapters) {
        await adapter.start().catch((err: unknown) => {
          throw adapter.platform === 'slack' && config.slack?.port !== undefined ? listenError(err, { port: 'SLACK_PORT' }, { host: '0.0.0.0', port: config.slack.port }) : err;
        });
        running.adapters.push(adapter);
      }
      data.start();
      running.data = true;
      imports.start();
      follower?.start();
      if (source.fetchAtStart) void follower?.fetchNow('start');
      await scheduler.start();
      running.scheduler = true;
      noticeMissingDates();
      askAboutRemovals();
      late.runtime!.start();
      running.rsvp = true;
      void syncDiscordEvents();
      log.info(
        { feeds: links.page, platforms: adapters.map((a) => a.platform), events: data.current().catalogue.events.length },
        'sremuc-bot ready',
      );
    },
    // Stops what start() got to, in reverse: after a refused start-up only those parts are running.
    async stop(reason = 'stop') {
      log.info({ reason }, 'sremuc-bot stopping');
      if (running.rsvp) await late.runtime!.stop();
      if (running.scheduler) await scheduler.stop();
      if (running.data) {
        await follower?.stop();
        data.stop();
      }
      imports.stop();
      await removals.flushed();
      for (const adapter of running.adapters.reverse()) await adapter.stop().catch((err: unknown) => log.error({ err }, 'adapter stop failed'));
      if (running.http) await http.stop();
      storage.close();
      Object.assign(running, { http: false, adapters: [], data: false, scheduler: false });
    },
  };
}
