/**
 * An RSVP world for the end-to-end tests in test/rsvp: one meetup that takes RSVPs (capacity 1, real names, a
 * question), the real commands and dispatcher, the RSVP service on a SQLite file, the real scheduler sending
 * through the outbox (direct messages included) and the runtime that edits counts and queues reminders. The
 * platform (Slack or Discord against its fake) is plugged in by the test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalogue } from '../../src/catalogue/catalogue';
import type { MeetupEvent } from '../../src/catalogue/event';
import type { ChatPoster, Destination } from '../../src/chat/adapter';
import { createDispatcher } from '../../src/chat/dispatch';
import type { MessageModel } from '../../src/chat/message';
import { ManualClock } from '../helpers/clock';
import type { CommandServices } from '../../src/commands/definition';
import { loadCommands } from '../../src/commands/registry';
import { createLogger } from '../../src/log';
import { withDirectMessages } from '../../src/rsvp/notices';
import { RsvpRuntime } from '../../src/rsvp/runtime';
import { RsvpService } from '../../src/rsvp/service';
import { Scheduler, type SchedulerOptions } from '../../src/schedule/scheduler';
import type { Db } from '../../src/store/db';
import { sharedDb, type SharedDb } from '../helpers/db';
import { oneCommunity, testSchedulerDefaults } from '../schedule/harness';
import { berlin, makeEvent, makeSettings } from '../helpers/events';
import { url } from '../helpers/url';
import { makeServices } from '../helpers/services';

export const EVENT_ID = 'sre-munich-december-2026';
export const commands = loadCommands();

export function rsvpMeetup(overrides: Partial<MeetupEvent> = {}): MeetupEvent {
  const start = berlin('2026-12-10T18:30');
  return makeEvent({
    id: EVENT_ID,
    title: 'SRE Munich December 2026',
    start,
    end: start.set({ hour: 21, minute: 30 }),
    venue: 'Example GmbH',
    url: url('https://muc.sre.xyz/posts/sre-munich-december-2026/'),
    rsvp: { capacity: 1, realName: true, question: 'Any dietary needs?' },
    source: { file: 'events/sre-munich-december-2026.md', publishedAt: berlin('2026-11-30T09:00') },
    ...overrides,
  });
}

export interface RsvpWorld {
  db: Db;
  shared: SharedDb;
  clock: ManualClock;
  events: MeetupEvent[];
  services: CommandServices;
  service: RsvpService;
  dispatcher: ReturnType<typeof createDispatcher>;
  /** What the organizers were told (the note when the meetup is full). */
  organizerNotes: MessageModel[];
  /** Discord's "Interested" reader, when a test wires one. */
  interested?: (eventId: string) => Promise<string[] | undefined>;
  /** A scheduler on its own connection (a restart after a crash gets a new one). */
  scheduler(posters: ChatPoster[], destinations: Destination[], overrides?: Partial<SchedulerOptions>): Scheduler;
  runtime(posters: ChatPoster[]): RsvpRuntime;
  close(): Promise<void>;
}

export function rsvpWorld(now = '2026-12-01T12:00'): RsvpWorld {
  const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-rsvp-'));
  const shared = sharedDb(dir);
  const db = shared.lazy();
  const connections: Db[] = [db];
  const clock = new ManualClock(berlin(now));
  const events = [rsvpMeetup()];
  const settings = makeSettings();
  const catalogue = () => new Catalogue(world.events);
  const organizerNotes: MessageModel[] = [];
  const log = createLogger(process.env.RSVP_TEST_LOG ?? 'silent');
  const service = new RsvpService({ db, now: () => clock.now(), notifyOrganizers: async (m) => void organizerNotes.push(m), log, interested: async (id) => world.interested?.(id) });
  const services = makeServices({ catalogue, now: () => clock.now(), settings: () => settings, rsvp: service }, { db });
  const world: RsvpWorld = {
    db,
    shared,
    clock,
    events,
    services,
    service,
    dispatcher: createDispatcher(commands, services, log),
    organizerNotes,
    scheduler(posters, destinations, overrides = {}) {
      const connection = shared.lazy();
      connections.push(connection);
      return new Scheduler({
        db: connection,
        clock,
        posters: posters.map((p) => withDirectMessages(p)),
        communities: oneCommunity(() => ({ catalogue: catalogue(), settings }), destinations, []),
        ...testSchedulerDefaults(clock),
        ...overrides,
      });
    },
    runtime: (posters) => new RsvpRuntime({ db, service, posters, catalogue, clock, log, debounceMs: 0 }),
    async close() {
      for (const c of connections) await c.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}
