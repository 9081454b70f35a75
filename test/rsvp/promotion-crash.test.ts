import type { Caller } from '../../src/commands/definition';
import { withDirectMessages } from '../../src/rsvp/notices';
import { seatsOf } from '../../src/rsvp/service';
import { Outbox } from '../../src/schedule/outbox';
import { startSlackBot, type SlackBot } from '../chat/slack-harness';
import { crashingPoster, settle } from '../schedule/harness';
import { EVENT_ID, commands, rsvpWorld, type RsvpWorld } from './world';

const member = (id: string): Caller => ({ platform: 'slack', id, name: id.toLowerCase(), isOrganizer: false });
const ANNA = member('U0ANNA');
const BEN = member('U0BEN');
const LEASE_TTL = { seconds: 16 };

describe('waitlist promotion: exactly once across a crash', () => {
  let world: RsvpWorld;
  let bot: SlackBot;

  beforeEach(async () => {
    world = rsvpWorld();
    bot = await startSlackBot({ commands, dispatcher: world.dispatcher, config: { announceChannels: [] } });
    const event = world.events[0]!;
    await world.service.respond(event, ANNA, 'going', { realName: 'Anna Muster', answer: '' });
    await world.service.respond(event, BEN, 'going', { realName: 'Ben Beispiel', answer: '' });
  });
  afterEach(async () => {
    await bot.stop();
    await world.close();
  });

  const benDms = () => bot.slack.messages(bot.slack.dmChannel(BEN.id)).map((m) => m.text?.split('\n')[0]);
  const promotionRows = async () => (await new Outbox(world.db).unconfirmed()).filter((r) => r.kind === 'message');

  it('a crash inside the cancellation leaves nobody moved up and nothing queued (one transaction)', async () => {
    const event = world.events[0]!;
    await expect(
      world.service.store.answer(seatsOf(event), { platform: 'slack', userId: ANNA.id, name: 'anna' }, 'declined', undefined, world.clock.now(), () => {
        throw new Error('process killed');
      }),
    ).rejects.toThrow('process killed');
    expect((await world.service.store.entry(EVENT_ID, 'slack', ANNA.id))?.status).toBe('going');
    expect((await world.service.store.entry(EVENT_ID, 'slack', BEN.id))?.status).toBe('waitlist');
    expect(await promotionRows()).toHaveLength(0);
  });

  it('a crash after the cancellation but before the message was sent: the restart sends it, once', async () => {
    await world.service.respond(world.events[0]!, ANNA, 'declined');
    expect(await promotionRows()).toHaveLength(1);
    // The process is gone before any tick; a new one starts on the same database file.
    const restarted = world.scheduler([bot.chat], []);
    expect(await restarted.tick()).toMatchObject({ sent: 1 });
    await restarted.tick();
    expect(benDms()).toEqual(['You have a seat!']);
    // Pressing Not going again, or a second cancellation, does not tell Ben again.
    await world.service.respond(world.events[0]!, ANNA, 'declined');
    await restarted.tick();
    expect(benDms()).toEqual(['You have a seat!']);
  });

  it('a crash after Slack took the message but before it was marked sent: found in the DM history, not sent again', async () => {
    await world.service.respond(world.events[0]!, ANNA, 'declined');
    const { poster, crashed } = crashingPoster(withDirectMessages(bot.chat), 1, 'after-send');
    const dying = world.scheduler([], [], { posters: [poster] });
    void dying.tick();
    await crashed;
    expect((await promotionRows()).map((r) => r.status)).toEqual(['sending']);
    expect(benDms()).toEqual(['You have a seat!']);

    const restarted = world.scheduler([bot.chat], []);
    expect(await restarted.tick()).toMatchObject({ ran: false, sent: 0 }); // the dead holder's heartbeat was just seen
    world.clock.advance(LEASE_TTL);
    expect(await settle(world.clock, restarted)).toMatchObject({ recovered: 1, sent: 0 });
    expect(benDms()).toEqual(['You have a seat!']);
    // Only Ben's direct messages were looked up (the lookup may read more than one page of them).
    expect([...new Set(bot.slack.callsTo('conversations.history').map((c) => c.params.channel))]).toEqual([bot.slack.dmChannel(BEN.id)]);
  });

  it('a crash before Slack got the message: the restart finds nothing in the DM history and sends it once', async () => {
    await world.service.respond(world.events[0]!, ANNA, 'declined');
    const { poster, crashed } = crashingPoster(withDirectMessages(bot.chat), 1, 'before-send');
    void world.scheduler([], [], { posters: [poster] }).tick();
    await crashed;
    expect(benDms()).toEqual([]);
    const restarted = world.scheduler([bot.chat], []);
    expect(await restarted.tick()).toMatchObject({ ran: false, sent: 0 }); // the dead holder's heartbeat was just seen
    world.clock.advance(LEASE_TTL);
    // Taken over from a dead holder: the DM history is looked up twice, a minute apart, before the one send.
    expect(await settle(world.clock, restarted)).toMatchObject({ recovered: 0, sent: 1 });
    expect(benDms()).toEqual(['You have a seat!']);
  });
});
