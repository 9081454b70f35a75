/**
 * A small real-shaped SRE Munich world for command tests: a few past meetups, the Celonis one coming up, the
 * real commands from commands/, the real dispatcher, the CfP store on in-memory SQLite, a manual clock, and a
 * console chat over PassThrough streams.
 */
import { PassThrough } from 'node:stream';
import { Catalogue } from '../../src/catalogue/catalogue';
import type { MeetupEvent } from '../../src/catalogue/event';
import type { CommunitySettings } from '../../src/catalogue/settings';
import { ConsoleChat } from '../../src/chat/console/console';
import { createDispatcher, type Dispatcher } from '../../src/chat/dispatch';
import { toPlainText, type CommandReply, type MessageModel } from '../../src/chat/message';
import type { Caller, CommandServices } from '../../src/commands/definition';
import { loadCommands } from '../../src/commands/registry';
import { ManualClock } from '../helpers/clock';
import { createLogger } from '../../src/log';
import { berlin, makeEvent, makeSettings } from '../helpers/events';
import { makeServices, type TestServiceOptions } from '../helpers/services';
import { url } from '../helpers/url';

export const commands = loadCommands();

export function pastEvents(): MeetupEvent[] {
  const grafana = berlin('2024-01-31T18:30');
  const google = berlin('2023-09-14T18:30');
  const sixt = berlin('2022-10-13T18:30');
  return [
    makeEvent({
      id: 'sre-munich-winter-event-2024',
      title: 'SRE+Grafana Munich at nordcloud 2024',
      start: grafana,
      end: grafana.set({ hour: 21 }),
      venue: 'Nordcloud, Highlight Towers',
      url: url('https://muc.sre.xyz/posts/sre-munich-winter-event-2024/'),
      talks: [
        { title: 'Philosophy of Observability', speakers: [{ name: 'Richard Hartmann', company: 'Grafana Labs' }], kind: 'talk', slides: [], start: grafana.set({ hour: 19, minute: 5 }) },
        {
          title: 'Navigating Observability with OTel and Grafana: A Strategic Overview',
          speakers: [{ name: 'Nadya Shakhat', company: 'Nordcloud' }],
          kind: 'talk',
          abstract: 'In this presentation we are going to dive into the interplay between OpenTelemetry (OTel) and Grafana within the AWS landscape.',
          slides: [{ label: 'Navigating Observability with OTel and Grafana', url: url('https://muc.sre.xyz/slides/otel.pdf') }],
          start: grafana.set({ hour: 19, minute: 35 }),
        },
      ],
      agenda: [
        { start: grafana, title: 'Get together with food and drinks' },
        { start: grafana.set({ hour: 19, minute: 5 }), title: 'Talk 1: Philosophy of Observability', talkIndex: 0 },
        { start: grafana.set({ hour: 19, minute: 35 }), title: 'Talk 2: Navigating Observability with OTel and Grafana: A Strategic Overview', talkIndex: 1 },
      ],
      source: { file: 'events/sre-munich-winter-event-2024.md' },
    }),
    makeEvent({
      id: 'sre-munich-summer-fall-event-2023',
      title: 'SRE Munich at Google 2023',
      start: google,
      end: google.set({ hour: 21 }),
      venue: 'Google Munich',
      address: 'Erika-Mann-Str. 33, 80636 München',
      url: url('https://muc.sre.xyz/posts/sre-munich-summer-fall-event-2023/'),
      talks: [],
      agenda: [{ start: google, title: 'Doors open' }],
      source: { file: 'events/sre-munich-summer-fall-event-2023.md' },
    }),
    makeEvent({
      id: 'sre-munich-fall-event-2022',
      title: 'SRE Munich at Sixt 2022',
      start: sixt,
      end: sixt.set({ hour: 21 }),
      venue: 'Sixt',
      url: url('https://muc.sre.xyz/posts/sre-munich-fall-event-2022/'),
      talks: [],
      agenda: [],
      source: { file: 'events/sre-munich-fall-event-2022.md' },
    }),
  ];
}

/** The July 2024 meetup at Celonis, two days ahead of the default clock. */
export const celonis = (): MeetupEvent => makeEvent();

export interface World {
  clock: ManualClock;
  services: CommandServices;
  dispatcher: Dispatcher;
  /** What the bot sent to the organizers' channel. */
  notified: MessageModel[];
  setEvents(events: MeetupEvent[]): void;
}

export function makeWorld(options: { events?: MeetupEvent[]; now?: string; settings?: Partial<CommunitySettings>; notify?: (m: MessageModel) => Promise<void>; removals?: CommandServices['removals'] } & TestServiceOptions = {}): World {
  const clock = new ManualClock(berlin(options.now ?? '2024-07-08T12:00'));
  let catalogue = new Catalogue(options.events ?? [...pastEvents(), celonis()]);
  const notified: MessageModel[] = [];
  const services = makeServices(
    {
      catalogue: () => catalogue,
      settings: () => makeSettings(options.settings),
      now: () => clock.now(),
      notifyOrganizers: async (m) => {
        notified.push(m);
        await options.notify?.(m);
      },
      ...(options.removals ? { removals: options.removals } : {}),
    },
    options,
  );
  return {
    clock,
    services,
    dispatcher: createDispatcher(commands, services, createLogger('silent')),
    notified,
    setEvents: (events) => (catalogue = new Catalogue(events)),
  };
}

export const member: Caller = { platform: 'slack', id: 'U0MEMBER', name: 'member', isOrganizer: false, channel: 'C0GENERAL' };
export const organizer: Caller = { platform: 'slack', id: 'U0ORGA', name: 'ingo', isOrganizer: true, channel: 'C0GENERAL' };

/**
 * Types `lines` into a ConsoleChat, ends the input, and returns everything it printed once every line has
 * been answered.
 */
export async function consoleSession(world: World, lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const chat = new ConsoleChat({ input, output, dispatcher: world.dispatcher, commands, operator: 'operator' });
  await chat.start();
  input.end(lines.map((l) => `${l}\n`).join(''));
  await chat.finished();
  await chat.stop();
  return printed;
}

/** The message of a reply as plain text; fails the test when the reply is a form. */
export function plainOf(reply: CommandReply): string {
  if (!('message' in reply)) throw new Error(`expected a message, got the form ${reply.modal.id}`);
  return toPlainText(reply.message);
}

export function messageOf(reply: CommandReply): MessageModel {
  if (!('message' in reply)) throw new Error(`expected a message, got the form ${reply.modal.id}`);
  return reply.message;
}
