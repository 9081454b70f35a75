import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Config } from './config';
import { systemClock, type Clock } from './clock';
import { createLogger, type Logger } from './log';
import { openDatabase, type Db } from './store/db';
import { SeenRequests } from './store/seen-requests';
import type { DataSource } from './sources/watch';
import { Imports } from './sources/importers/imports';
import type { GitFollower } from './sources/follow';
import { openEventsSource } from './sources/source';
import { dateToConfirmNotices } from './sources/date-notice';
import { Removals } from './sources/removals';
import { RemovalStore } from './sources/removal-store';
import { removalNotices } from './sources/removal-notice';
import { loadCommands } from './commands/registry';
import type { CommandDefinition, CommandServices } from './commands/definition';
import type { ChatAdapter, Destination, OrganizerNotifier } from './chat/adapter';
import { message, type MessageModel } from './chat/message';
import { createDispatcher, type Dispatcher } from './chat/dispatch';
import { ConsoleChat } from './chat/console/console';
import type { DiscordChat } from './chat/discord/adapter';
import type { ScheduledEventSync } from './chat/discord/scheduled-events';
import { CfpStore } from './cfp/submissions';
import { feedLinks } from './feeds/links';
import { FeedCatalogue } from './feeds/catalogue';
import { addFeedRoutes } from './feeds/routes';
import { FeedSequences } from './feeds/sequence';
import { HttpServer } from './http/server';
import { healthRoute } from './http/health';
import { metricsRoute } from './http/metrics';
import { gitWebhookRoute } from './http/webhooks/route';
import { Scheduler } from './schedule/scheduler';
import { Outbox } from './schedule/outbox';
import { AnnouncementStore } from './schedule/announcements';
import { RsvpService } from './rsvp/service';
import { RsvpRuntime } from './rsvp/runtime';
import { withDirectMessages } from './rsvp/notices';
import { countsText } from './rsvp/present';
import { listenError } from './startup-errors';

/** Each adapter knows its own organizers' channel (Slack, Discord) or prints (console). */
type OrganizerReachingAdapter = ChatAdapter & { notifyOrganizers: OrganizerNotifier };

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
  const db = openDatabase(config.databasePath);
  const links = feedLinks(config.http.publicUrl);
  const adapters: OrganizerReachingAdapter[] = [];
  const organizers: Destination[] = [
    ...(config.slack?.organizersChannel ? [{ platform: 'slack' as const, channel: config.slack.organizersChannel }] : []),
    ...(config.discord?.organizersChannel ? [{ platform: 'discord' as const, channel: config.discord.organizersChannel }] : []),
    ...(config.console ? [{ platform: 'console' as const, channel: 'organizers' }] : []),
  ];
  // Everything the organizers are told goes through the outbox, like every post: one platform being down keeps
  // neither the others from hearing nor the message from arriving once it is back, and a key reaches each
  // organizers' channel once (the scheduler retries for a week, then logs it).
  let scheduler: Scheduler | undefined;
  const tellOrganizers = async (reports: { key: string; message: MessageModel }[]) => {
    const at = clock.now();
    const added = new Outbox(db).enqueue(
      reports.flatMap(({ key, message }) =>
        organizers.map((to) => ({ key, to, message, label: message.title ? `notice: ${message.title}` : key, worthUntil: at.plus({ days: 7 }) })),
      ),
      at,
    );
    // Delivered at once when the scheduler runs (the outbox keeps it for the next tick otherwise).
    if (added.length > 0) await scheduler?.tickAfterWrite().catch((err: unknown) => log.error({ err }, 'scheduler tick after a notice failed'));
  };
  const reportToOrganizers = async (key: string, message: MessageModel) => tellOrganizers([{ key, message }]);
  // A notice without a natural key of its own is one of a kind.
  const notifyOrganizers: OrganizerNotifier = (message: MessageModel) => reportToOrganizers(`notice:${clock.now().toMillis()}:${randomUUID().slice(0, 8)}`, message);
  // Once per post that gives no meetup date: which file needs `eventDate:` (the outbox keeps the key).
  const noticeMissingDates = () =>
    void tellOrganizers(dateToConfirmNotices(data.current().catalogue.events, clock.now())).catch((err: unknown) => log.error({ err }, 'could not tell the organizers about posts without a date'));
  // Deleted posts of upcoming meetups stay in service until an organizer confirms; each is asked about once.
  const removals = new Removals({ store: new RemovalStore(db), now: () => clock.now(), log });
  await removals.load();
  const askAboutRemovals = () =>
    void tellOrganizers(removalNotices(removals.pending())).catch((err: unknown) => log.error({ err }, 'could not ask the organizers about removed posts'));
  const source = await openEventsSource({ events: config.events, dataDir: config.dataDir, timeZone: config.timeZone, log, clock, notify: reportToOrganizers, removals });
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

  const destinations: Destination[] = [
    ...(config.slack?.announceChannels ?? []).map((channel) => ({ platform: 'slack' as const, channel })),
    ...(config.discord?.announceChannels ?? []).map((channel) => ({ platform: 'discord' as const, channel })),
    ...(config.console ? [{ platform: 'console' as const, channel: 'announcements' }] : []),
  ];
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
    cfp: new CfpStore(db, clock),
    // Same rules and channels as the scheduler, so a preview shows exactly what will be posted.
    announcements: new AnnouncementStore({ db, clock, source: () => data.current(), rules, destinations, feeds: links }),
    notifyOrganizers,
    rsvp,
    removals,
  };
  const commands = loadCommands();
  const dispatcher = createDispatcher(commands, services, log);
  const http = new HttpServer({ host: config.http.host, port: config.http.port, log });

  adapters.push(...(await chatAdapters(config, { commands, dispatcher, log, http, seenRequests: new SeenRequests(db), input: options.input, output: options.output })));
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
    sequences: new FeedSequences(db, clock),
    publicUrl: config.http.publicUrl,
    rsvpCounts: (event) => (event.rsvp ? countsText(rsvp.counts(event.id), event.rsvp.capacity) : undefined),
  });
  const reloadFeeds = (catalogue = data.current().catalogue, current = settings()) => {
    const started = performance.now();
    feeds.update(catalogue, current, clock.now());
    log.debug({ events: catalogue.events.length, ms: Math.round(performance.now() - started) }, 'feeds updated');
  };
  reloadFeeds();
  addFeedRoutes(http, feeds, clock);
  // /healthz names the revision in service (and a failing fetch), so a deploy check sees what the bot serves.
  http.add(healthRoute(() => ({ ...feeds.health(), source: follower?.status() ?? { kind: 'folder', dir: config.events.kind === 'folder' ? config.events.dir : '' } })));
  if (follower && config.events.kind === 'git') {
    http.add(gitWebhookRoute({ secret: config.events.webhookSecret, branch: config.events.branch, fetchNow: (reason) => follower.fetchNow(reason), log }));
  }
  http.add(metricsRoute(config.http.metricsToken));

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
      db.close();
      Object.assign(running, { http: false, adapters: [], data: false, scheduler: false });
    },
  };
}

/** The chat adapters the config turns on. Bolt and discord.js are loaded only when configured (~0.8 s). */
async function chatAdapters(
  config: Config,
  parts: { commands: Map<string, CommandDefinition>; dispatcher: Dispatcher; log: Logger; http: HttpServer; seenRequests: SeenRequests; input?: Readable; output?: Writable },
): Promise<OrganizerReachingAdapter[]> {
  const { commands, dispatcher, log } = parts;
  const adapters: OrganizerReachingAdapter[] = [];
  if (config.slack) {
    const { SlackChat } = await import('./chat/slack/adapter');
    // Without SLACK_PORT, Slack's request URL is on the bot's one HTTP server.
    const http = config.slack.port === undefined ? parts.http : undefined;
    adapters.push(new SlackChat({ config: config.slack, commands, dispatcher, log, http, seenRequests: parts.seenRequests }));
  }
  if (config.discord) {
    const { DiscordChat } = await import('./chat/discord/adapter');
    adapters.push(new DiscordChat({ config: config.discord, commands, dispatcher, log }));
  }
  if (config.console) {
    adapters.push(new ConsoleChat({ input: parts.input ?? process.stdin, output: parts.output ?? process.stdout, dispatcher, commands, log }));
  }
  return adapters;
}
