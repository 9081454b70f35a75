import { parse } from 'csv-parse/sync';
import { startSlackBot, SIGNING_SECRET, type SlackBot } from '../chat/slack-harness';
import { berlin } from '../helpers/events';
import { EVENT_ID, commands, rsvpWorld, type RsvpWorld } from './world';

const ANNOUNCE = 'C0ANNOUNCE';
const ORGANIZER = 'U0ORG';
const ANNA = { id: 'U0ANNA', username: 'anna', name: 'anna', team_id: 'T0SREMUC' };
const BEN = { id: 'U0BEN', username: 'ben', name: 'ben', team_id: 'T0SREMUC' };

describe('RSVP on Slack, end to end (real Bolt against the fake Slack)', () => {
  let world: RsvpWorld;
  let bot: SlackBot;

  beforeEach(async () => {
    world = rsvpWorld();
    bot = await startSlackBot({ commands, dispatcher: world.dispatcher, config: { announceChannels: [ANNOUNCE], organizerUserIds: [ORGANIZER] } });
  });
  afterEach(async () => {
    await bot.stop();
    await world.close();
  });

  const scheduler = () => world.scheduler([bot.chat], [{ platform: 'slack', channel: ANNOUNCE }]);
  const blockText = (blocks: unknown) => JSON.stringify(blocks);

  /** Presses a button under the announcement as `user`; resolves once the bot acked. */
  async function press(actionId: string, user: typeof ANNA) {
    const payload = { ...bot.slack.blockActionPayload(actionId), user };
    const acked = await bot.slack.sendInteraction(bot.eventsUrl, SIGNING_SECRET, payload);
    expect(acked.status).toBe(200);
  }

  /** The form the last press opened, submitted with these values; returns the view the bot answered with. */
  async function submitForm(user: typeof ANNA, values: Record<string, string>) {
    const opened = bot.slack.callsTo('views.open').at(-1)!.params.view as { callback_id: string; private_metadata: string; blocks: { block_id: string; element: { initial_value?: string } }[] };
    const state = Object.fromEntries(Object.entries(values).map(([id, value]) => [id, { [id]: { type: 'plain_text_input', value } }]));
    const payload = { ...bot.slack.viewSubmissionPayload(opened, state), user };
    const answer = await bot.slack.sendInteraction(bot.eventsUrl, SIGNING_SECRET, payload);
    return { opened, answer: answer.json as { response_action: string; view?: { blocks: unknown[] } } };
  }

  it('a member RSVPs from the announcement, the waitlist moves up once, the host exports the real names, reminders arrive once', async () => {
    // The announcement carries the Going button.
    const ticker = scheduler();
    await ticker.tick();
    const [announcement] = bot.slack.messages(ANNOUNCE);
    expect(blockText(announcement!.blocks)).toContain(`"action_id":"rsvp:going:${EVENT_ID}"`);

    // Anna presses Going: the form asks her real name and the host's question; she gets the seat.
    await press(`rsvp:going:${EVENT_ID}`, ANNA);
    await waitFor(() => bot.slack.callsTo('views.open').length === 1);
    const anna = await submitForm(ANNA, { realName: 'Anna Muster', answer: 'vegetarian' });
    expect(anna.opened.blocks.map((b) => b.block_id)).toEqual(['realName', 'answer']);
    expect(anna.answer.response_action).toBe('update');
    expect(blockText(anna.answer.view!.blocks)).toContain('You are going to');

    // Ben presses Going: full, so he is first on the waitlist, told privately (the form, then the answer).
    await press(`rsvp:going:${EVENT_ID}`, BEN);
    await waitFor(() => bot.slack.callsTo('views.open').length === 2);
    const ben = await submitForm(BEN, { realName: 'Ben Beispiel', answer: '' });
    expect(blockText(ben.answer.view!.blocks)).toMatch(/number \*1\* on the waitlist/);
    expect(world.organizerNotes.map((n) => n.title)).toEqual(['Full: SRE Munich December 2026']);

    // The counts appear on the announcement (one edit), not in the channel as a new message.
    const runtime = world.runtime([bot.chat]);
    await runtime.refreshCounts(EVENT_ID);
    expect(bot.slack.messages(ANNOUNCE)).toHaveLength(1);
    expect(bot.slack.messages(ANNOUNCE)[0]!.text).toContain('1 of 1 going, 1 on the waitlist');
    await runtime.refreshCounts(EVENT_ID);
    expect(bot.slack.callsTo('chat.update')).toHaveLength(1);

    // Ben turns reminders on from his answer; the answer comes back ephemeral through response_url.
    const reminded = bot.slack.waitForResponse();
    await press(`rsvp:remind-on:${EVENT_ID}`, BEN);
    expect((await reminded).body).toMatchObject({ response_type: 'ephemeral', replace_original: false });

    // Anna cancels: Ben moves up and is told by direct message, exactly once.
    const cancelled = bot.slack.waitForResponse();
    await press(`rsvp:no:${EVENT_ID}`, ANNA);
    expect(JSON.stringify((await cancelled).body)).toContain('You are not going');
    await ticker.tick();
    await ticker.tick();
    const dm = bot.slack.dmChannel(BEN.id);
    expect(bot.slack.callsTo('conversations.open').map((c) => c.params.users)).toContain(BEN.id);
    expect(bot.slack.messages(dm).map((m) => m.text?.split('\n')[0])).toEqual(['You have a seat!']);

    // The organizer exports the guest list: a CSV in their own direct messages, not in the channel.
    const exported = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, bot.slack.slashCommandFields('/rsvp', `export ${EVENT_ID}`, { user_id: ORGANIZER }));
    expect(exported.status).toBe(200);
    const note = await bot.slack.waitForResponse();
    expect(note.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(note.body)).toContain('in your direct messages');
    const [file] = bot.slack.files;
    expect(file).toMatchObject({ filename: `rsvp-${EVENT_ID}.csv`, channel: bot.slack.dmChannel(ORGANIZER) });
    const rows = parse(file!.content, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.status, r.real_name, r['Any dietary needs?']])).toEqual([
      ['Going', 'Ben Beispiel', ''],
      ['Not going', 'Anna Muster', 'vegetarian'],
    ]);

    // A member cannot export.
    await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, bot.slack.slashCommandFields('/rsvp', `export ${EVENT_ID}`, { user_id: ANNA.id }));
    expect(bot.slack.files).toHaveLength(1);

    // The day before, Ben (going, reminders on) gets one reminder; Anna (not going) none.
    world.clock.set(berlin('2026-12-09T18:30'));
    await runtime.sweep();
    await ticker.tick();
    await runtime.sweep();
    await ticker.tick();
    expect(bot.slack.messages(dm).map((m) => m.text?.split('\n')[0])).toEqual(['You have a seat!', 'Tomorrow: SRE Munich December 2026']);
    expect(bot.slack.callsTo('conversations.open').map((c) => c.params.users)).not.toContain(ANNA.id);
    await runtime.stop();
  });

  it('/rsvp me shows a member what the bot holds, privately; /rsvp forget deletes it', async () => {
    await world.service.respond(world.events[0]!, { platform: 'slack', id: ANNA.id, name: 'anna', isOrganizer: false }, 'going', { realName: 'Anna Muster', answer: 'none' });
    const me = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, bot.slack.slashCommandFields('/rsvp', 'me', { user_id: ANNA.id }));
    expect(me.json).toMatchObject({ response_type: 'ephemeral' });
    expect(me.body).toContain('Anna Muster');
    const forget = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, bot.slack.slashCommandFields('/rsvp', 'forget', { user_id: ANNA.id }));
    expect(forget.body).toContain('deleted');
    expect(await world.service.mine({ platform: 'slack', id: ANNA.id, name: 'anna', isOrganizer: false })).toEqual({ answers: [], realName: undefined, reminders: false });
  });

  it('the organizers’ list shows names and the waitlist; members are refused', async () => {
    const event = world.events[0]!;
    await world.service.respond(event, { platform: 'slack', id: ANNA.id, name: 'anna', isOrganizer: false }, 'going', { realName: 'Anna Muster', answer: 'vegan' });
    await world.service.respond(event, { platform: 'slack', id: BEN.id, name: 'ben', isOrganizer: false }, 'going', { realName: 'Ben Beispiel' });
    const list = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, bot.slack.slashCommandFields('/rsvp', 'list', { user_id: ORGANIZER }));
    expect(list.json).toMatchObject({ response_type: 'ephemeral' });
    expect(list.body).toMatch(/Anna Muster.*vegan/);
    expect(list.body).toMatch(/Waitlist, in order.*Ben Beispiel/);
    const refused = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, bot.slack.slashCommandFields('/rsvp', 'list', { user_id: ANNA.id }));
    expect(refused.body).toContain('for organizers only');
    expect(refused.body).not.toContain('Anna Muster');
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('timed out');
}
