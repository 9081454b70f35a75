import type { Caller } from '../../src/commands/definition';
import { withDirectMessages } from '../../src/rsvp/notices';
import { seatsOf } from '../../src/rsvp/service';
import { Outbox } from '../../src/schedule/outbox';
import { startSlackBot, type SlackBot } from '../chat/slack-harness';
import { crashingPoster } from '../schedule/harness';
import { EVENT_ID, commands, rsvpWorld, type RsvpWorld } from './world';

const member = (id: string): Caller => ({ platform: 'slack', id, name: id.toLowerCase(), isOrganizer: false });
const ANNA = member('U0ANNA');
const BEN = member('U0BEN');
const LEASE_TTL = { minutes: 3, seconds: 1 };

describe('waitlist promotion: exactly once across a crash', () => {
  let world: RsvpWorld;
  let bot: SlackBot;

  beforeEach(async () => {
    world = rsvpWorld();
    bot = await startSlackBot({ commands, dispatcher: world.dispatcher, config: { announceChannels: [] } });
    const event = world.events[0]!;
    world.service.respond(event, ANNA, 'going', { realName: 'Anna Muster', answer: '' });
    world.service.respond(event, BEN, 'going', { realName: 'Ben Beispiel', answer: '' });
  });
  afterEach(async () => {
    await bot.stop();
    world.close();
  });

  const benDms = () => bot.slack.messages(bot.slack.dmChannel(BEN.id)).map((m) => m.text?.split('\n')[0]);
  const promotionRows = () => new Outbox(world.db).ready(world.clock.now().plus({ days: 1 })).concat(new Outbox(world.db).inFlight()).filter((r) => r.kind === 'message');

  it('a crash inside the cancellation leaves nobody moved up and nothing queued (one transaction)', () => {
    const event = world.events[0]!;
    expect(() =>
      world.service.store.answer(seatsOf(event), { platform: 'slack', userId: ANNA.id, name: 'anna' }, 'declined', undefined, world.clock.now(), () => {
        throw new Error('process killed');
      }),
    ).toThrow('process killed');
    expect(world.service.store.entry(EVENT_ID, 'slack', ANNA.id)?.status).toBe('going');
    expect(world.service.store.entry(EVENT_ID, 'slack', BEN.id)?.status).toBe('waitlist');
    expect(promotionRows()).toHaveLength(0);
  });

  it('a crash after the cancellation but before the message was sent: the restart sends it, once', async () => {
    world.service.respond(world.events[0]!, ANNA, 'declined');
    expect(promotionRows()).toHaveLength(1);
    // The process is gone before any tick; a new one starts on the same database file.
    const restarted = world.scheduler([bot.chat], []);
    expect(await restarted.tick()).toMatchObject({ sent: 1 });
    await restarted.tick();
    expect(benDms()).toEqual(['You have a seat!']);
    // Pressing Not going again, or a second cancellation, does not tell Ben again.
    world.service.respond(world.events[0]!, ANNA, 'declined');
    await restarted.tick();
    expect(benDms()).toEqual(['You have a seat!']);
  });

  it('a crash after Slack took the message but before it was marked sent: found in the DM history, not sent again', async () => {
    world.service.respond(world.events[0]!, ANNA, 'declined');
    const { poster, crashed } = crashingPoster(withDirectMessages(bot.chat), 1, 'after-send');
    const dying = world.scheduler([], [], { posters: [poster] });
    void dying.tick();
    await crashed;
    expect(promotionRows().map((r) => r.status)).toEqual(['sending']);
    expect(benDms()).toEqual(['You have a seat!']);

    world.clock.advance(LEASE_TTL);
    const restarted = world.scheduler([bot.chat], []);
    expect(await restarted.tick()).toMatchObject({ ran: true, recovered: 1, sent: 0 });
    await restarted.tick();
    expect(benDms()).toEqual(['You have a seat!']);
    expect(bot.slack.callsTo('conversations.history').map((c) => c.params.channel)).toEqual([bot.slack.dmChannel(BEN.id)]);
  });

  it('a crash before Slack got the message: the restart finds nothing in the DM history and sends it once', async () => {
    world.service.respond(world.events[0]!, ANNA, 'declined');
    const { poster, crashed } = crashingPoster(withDirectMessages(bot.chat), 1, 'before-send');
    void world.scheduler([], [], { posters: [poster] }).tick();
    await crashed;
    expect(benDms()).toEqual([]);
    world.clock.advance(LEASE_TTL);
    const restarted = world.scheduler([bot.chat], []);
    expect(await restarted.tick()).toMatchObject({ recovered: 0, sent: 1 });
    expect(benDms()).toEqual(['You have a seat!']);
  });
});
