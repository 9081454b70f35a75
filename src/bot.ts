import type { Readable, Writable } from 'node:stream';
import type { Config } from './config';
import { systemClock, type Clock } from './clock';
import { createLogger, type Logger } from './log';
import { openConfigured, type Db } from './store/db';
import { SeenRequests } from './store/seen-requests';
import { CfpStore } from './cfp/submissions';
import { FeedSequences } from './feeds/sequence';
import type { DataSource } from './sources/watch';
import type { Imports } from './sources/importers/imports';
import type { GitFollower } from './sources/follow';
import { loadCommands } from './commands/registry';
import type { ChatAdapter } from './chat/adapter';
import { ConsoleChat } from './chat/console/console';
import type { DiscordChat } from './chat/discord/adapter';
import type { FeedCatalogue } from './feeds/catalogue';
import { HttpServer } from './http/server';
import { Scheduler } from './schedule/scheduler';
import { RsvpRuntime } from './rsvp/runtime';
import { withDirectMessages } from './rsvp/notices';
import { listenError } from './startup-errors';
import { chatAdapters } from './bot/chat-adapters';
import { addBotRoutes, addCommunityRoutes } from './bot/http-routes';
import { Community } from './community/community';
import { communitySpecs } from './community/specs';
import { communityRouter } from './community/router';
import { forgetUnconfiguredCommunities } from './sources/parse-cache-store';

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
  /** Every community this process serves (one without COMMUNITIES_DIR); the fields below are the first's. */
  readonly communities: readonly Community[];
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
 * Wires one bot process: the database, the communities (each its data, services, feeds and what the scheduler
 * plans for it), the chat adapters the config turns on (commands routed to the caller's community), the feed
 * server and the one scheduler over the one outbox. Nothing here decides behaviour; each part does.
 */
export async function createBot(config: Config, options: BotOptions = {}): Promise<Bot> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  // The one place the database is opened (PostgreSQL with DATABASE_URL, else DATABASE_PATH), migrated first.
  const db = await openConfigured(config);
  // Signatures of accepted Slack and Discord HTTP requests, so a replay is refused.
  const seenRequests = new SeenRequests(db);
  const commands = loadCommands();
  let scheduler: Scheduler | undefined;
  const shared = {
    db,
    clock,
    log,
    commands,
    cfp: new CfpStore(db, clock),
    feedSequences: new FeedSequences(db, clock),
    deliverNow: () => scheduler?.tickAfterWrite(),
    tick: () => void scheduler?.tickAfterWrite().catch((err: unknown) => log.error({ err }, 'scheduler tick failed')),
  };
  const specs = communitySpecs(config);
  // A cache only: a store that cannot delete now tries again at the next start.
  await forgetUnconfiguredCommunities(db, specs.map((s) => s.id)).catch((err: unknown) => log.warn({ err }, 'parse cache: rows of communities no longer configured not deleted'));
  const communities: Community[] = [];
  for (const spec of specs) communities.push(await Community.open(spec, shared));
  const first = communities[0]!;
  const http = new HttpServer({ host: config.http.host, port: config.http.port, log });

  const adapters = await chatAdapters(config, {
    commands,
    dispatcher: communityRouter(communities),
    log,
    http,
    seenRequests,
    db,
    input: options.input,
    output: options.output,
  });
  const discord = adapters.find((a): a is DiscordChat => a.platform === 'discord');

  scheduler = new Scheduler({
    db,
    clock,
    // A test clock (options.clock) drives the monotonic time too, so that setting it is not taken for a step.
    mono: options.clock ? () => clock.now().toMillis() : undefined,
    // Direct messages to members (RSVP promotions, reminders) go through the same outbox as announcements.
    posters: adapters.map((adapter) => withDirectMessages(adapter)),
    communities: () => communities.map((c) => c.scheduled),
    log,
    graceMinutes: config.schedule.graceMinutes,
    onChange: config.schedule.onChange,
    cron: config.schedule.cron,
    claimTtlMs: config.schedule.claimSeconds * 1000,
    settleMs: config.schedule.settleSeconds * 1000,
  });

  for (const community of communities) {
    const { data, feeds } = community;
    community.runtime = new RsvpRuntime({ db, community: community.spec.id, service: community.rsvp, posters: adapters, catalogue: () => data.current().catalogue, clock, log: community.log, onCountsChanged: () => void feeds.refreshPage(clock.now()).catch((err: unknown) => log.error({ err }, 'subscribe page refresh failed')) });
    const guild = community.spec.discord?.guild;
    if (!discord || !guild) continue;
    const { interestedReader } = await import('./chat/discord/interested');
    community.interested = interestedReader(db, discord.rest, guild);
    if (!config.discord?.syncScheduledEvents) continue;
    const { ScheduledEventSync } = await import('./chat/discord/scheduled-events');
    const eventSync = new ScheduledEventSync({ db, rest: discord.rest, guildId: guild, log: community.log, feeds: community.links });
    const sync = () => {
      const { catalogue, settings } = data.current();
      return eventSync.sync(catalogue, settings, clock.now().setZone(settings.timeZone)).catch((err: unknown) => community.log.error({ err }, 'discord scheduled events sync failed'));
    };
    community.onChanged = () => void sync();
    community.startedHooks.push(() => void sync());
  }

  if (config.communities) addCommunityRoutes(http, { config, communities, clock });
  else addBotRoutes(http, { config, feeds: first.feeds, clock, follower: first.follower, log });

  const running = { http: false, adapters: [] as ChatAdapter[], data: false, scheduler: false, rsvp: false };
  return {
    config,
    db,
    communities,
    data: first.data,
    follower: first.follower,
    http,
    feeds: first.feeds,
    imports: first.imports,
    scheduler,
    rsvp: first.runtime!,
    adapters,
    inputEnded() {
      return adapters.find((a): a is ConsoleChat => a instanceof ConsoleChat)?.finished();
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
      for (const community of communities) community.start();
      running.data = true;
      await scheduler.start();
      running.scheduler = true;
      for (const community of communities) community.started();
      running.rsvp = true;
      log.info(
        { feeds: first.links.page, communities: communities.length, platforms: adapters.map((a) => a.platform), events: communities.reduce((n, c) => n + c.data.current().catalogue.events.length, 0) },
        'sremuc-bot ready',
      );
    },
    // Stops what start() got to, in reverse: after a refused start-up only those parts are running.
    async stop(reason = 'stop') {
      log.info({ reason }, 'sremuc-bot stopping');
      if (running.rsvp) for (const community of communities) await community.runtime?.stop();
      if (running.scheduler) await scheduler.stop();
      for (const community of communities) await community.stop(running.data);
      for (const adapter of running.adapters.reverse()) await adapter.stop().catch((err: unknown) => log.error({ err }, 'adapter stop failed'));
      if (running.http) await http.stop();
      await db.close();
      Object.assign(running, { http: false, adapters: [], data: false, scheduler: false, rsvp: false });
    },
  };
}
