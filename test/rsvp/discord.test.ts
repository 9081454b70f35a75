import { sql } from 'kysely';
import { parse } from 'csv-parse/sync';
import { Routes } from 'discord.js';
import { interestedReader } from '../../src/chat/discord/interested';
import { ANNOUNCE_CHANNEL, ORGANIZER_ROLE, startDiscordBot, waitUntil, type DiscordBot } from '../chat/discord-harness';
import type { MemberSpec } from '../fakes/discord';
import { berlin } from '../helpers/events';
import { EVENT_ID, commands, rsvpWorld, type RsvpWorld } from './world';

const ANNA: MemberSpec = { id: '1400000000000000011', username: 'anna', nick: 'Anna' };
const BEN: MemberSpec = { id: '1400000000000000012', username: 'ben', nick: 'Ben' };
const HOST: MemberSpec = { id: '1400000000000000013', username: 'host', roles: [ORGANIZER_ROLE] };
const EPHEMERAL = 64;

describe('RSVP on Discord, end to end (real discord.js against the fake Discord)', () => {
  let world: RsvpWorld;
  let bot: DiscordBot;

  beforeEach(async () => {
    world = rsvpWorld();
    bot = await startDiscordBot({ commands, dispatcher: world.dispatcher });
  });
  afterEach(async () => {
    await bot.stop();
    await world.close();
  });

  const scheduler = () => world.scheduler([bot.chat], [{ platform: 'discord', channel: ANNOUNCE_CHANNEL }]);
  const text = (m: unknown) => JSON.stringify(m);

  /** Presses Going under the announcement, fills the form, and returns the bot's private answer. */
  async function going(member: MemberSpec, messageId: string, values: Record<string, string>) {
    const pressed = bot.discord.dispatchInteraction({ kind: 'button', customId: `rsvp:going:${EVENT_ID}`, messageId, member });
    expect((await pressed.firstCallback).type).toBe(9); // the form
    const submitted = bot.discord.dispatchInteraction({ kind: 'modalSubmit', fromModal: pressed.id, values, member });
    const answer = await submitted.firstCallback;
    expect(answer.type).toBe(4);
    expect(Number(answer.data?.flags) & EPHEMERAL).toBe(EPHEMERAL);
    return { modal: pressed.state.modal!, answer: text(answer.data) };
  }

  it('a member RSVPs from the announcement, the waitlist moves up once by DM, the host gets the CSV as an attachment', async () => {
    const ticker = scheduler();
    await ticker.tick();
    const [announcement] = bot.discord.messages(ANNOUNCE_CHANNEL);
    expect(text(announcement!.components)).toContain(`rsvp:going:${EVENT_ID}`);

    const anna = await going(ANNA, announcement!.id, { realName: 'Anna Muster', answer: 'vegetarian' });
    expect(text(anna.modal)).toContain('Your name as on your ID');
    expect(anna.answer).toContain('You are going to');
    const ben = await going(BEN, announcement!.id, { realName: 'Ben Beispiel', answer: '' });
    expect(ben.answer).toMatch(/number \*\*1\*\* on the waitlist/);

    // Ben's real name is remembered: his form opens prefilled when he edits it.
    const edit = bot.discord.dispatchInteraction({ kind: 'button', customId: `rsvp:name:${EVENT_ID}`, messageId: announcement!.id, member: BEN });
    await edit.firstCallback;
    expect(text(edit.state.modal)).toContain('"value":"Ben Beispiel"');

    // Counts on the announcement, edited in place.
    const runtime = world.runtime([bot.chat]);
    await runtime.refreshCounts(EVENT_ID);
    expect(text(bot.discord.messages(ANNOUNCE_CHANNEL)[0]!.embeds)).toContain('1 of 1 going, 1 on the waitlist');
    expect(bot.discord.messages(ANNOUNCE_CHANNEL)).toHaveLength(1);

    // Anna cancels from the announcement; Ben moves up and gets one direct message.
    const cancel = bot.discord.dispatchInteraction({ kind: 'button', customId: `rsvp:no:${EVENT_ID}`, messageId: announcement!.id, member: ANNA });
    expect(text((await cancel.firstCallback).data)).toContain('You are not going');
    await ticker.tick();
    await ticker.tick();
    const dm = bot.discord.dmChannel(BEN.id!);
    expect(dm).toBeDefined();
    expect(bot.discord.messages(dm!).map((m) => (m.embeds[0] as { title?: string } | undefined)?.title)).toEqual(['You have a seat!']);

    // The host exports: the CSV comes as an attachment on the private answer.
    const exported = bot.discord.dispatchInteraction({ kind: 'command', name: 'rsvp', subcommand: 'export', options: { event: EVENT_ID }, member: HOST });
    await exported.firstCallback;
    await waitUntil(() => (exported.state.original?.attachments?.length ?? 0) > 0, 'the CSV attachment');
    const [csv] = exported.state.original!.attachments!;
    expect(csv!.filename).toBe(`rsvp-${EVENT_ID}.csv`);
    expect(Number(exported.state.original!.flags) & EPHEMERAL).toBe(EPHEMERAL);
    const rows = parse(csv!.content, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.status, r.real_name, r.chat_name])).toEqual([
      ['Going', 'Ben Beispiel', 'Ben'],
      ['Not going', 'Anna Muster', 'Anna'],
    ]);

    // A member asking for the list is refused and sees no names.
    const refused = bot.discord.dispatchInteraction({ kind: 'command', name: 'rsvp', subcommand: 'list', options: {}, member: ANNA });
    const refusal = text((await refused.firstCallback).data);
    expect(refusal).toContain('for organizers only');
    expect(refusal).not.toContain('Ben Beispiel');

    // Reminders: Ben turns them on; the day before, one DM.
    const on = bot.discord.dispatchInteraction({ kind: 'command', name: 'rsvp', subcommand: 'reminders', options: { on: true }, member: BEN });
    expect(text((await on.firstCallback).data)).toContain('Reminders are on');
    world.clock.set(berlin('2026-12-09T19:00'));
    await runtime.sweep();
    await ticker.tick();
    await runtime.sweep();
    await ticker.tick();
    expect(bot.discord.messages(dm!).map((m) => (m.embeds[0] as { title?: string } | undefined)?.title)).toEqual(['You have a seat!', 'Tomorrow: SRE Munich December 2026']);
    await runtime.stop();
  });

  it('counts members who pressed "Interested" on the native Scheduled Event in the organizers’ list', async () => {
    const created = (await bot.chat.rest.post(Routes.guildScheduledEvents(bot.discord.guildId), {
      body: { name: 'SRE Munich December', scheduled_start_time: '2030-12-10T17:30:00.000Z', scheduled_end_time: '2030-12-10T20:30:00.000Z', privacy_level: 2, entity_type: 3, entity_metadata: { location: 'Example GmbH' } },
    })) as { id: string };
    await world.db.run(sql`INSERT INTO discord_scheduled_events (guild_id, event_id, discord_event_id, content_hash) VALUES (${bot.discord.guildId}, ${EVENT_ID}, ${created.id}, 'x')`);
    const many = Array.from({ length: 130 }, (_, i) => String(1400000000000001000n + BigInt(i)));
    bot.discord.setInterested(created.id, [ANNA.id!, ...many]);
    world.interested = interestedReader(world.db, bot.chat.rest, bot.discord.guildId);
    await world.service.respond(world.events[0]!, { platform: 'discord', id: ANNA.id!, name: 'Anna', isOrganizer: false }, 'going', { realName: 'Anna Muster', answer: '' });

    const list = bot.discord.dispatchInteraction({ kind: 'command', name: 'rsvp', subcommand: 'list', options: { event: EVENT_ID }, member: HOST });
    const answer = text((await list.firstCallback).data);
    expect(answer).toContain('Interested on Discord');
    expect(answer).toContain('131 (1 of them RSVPed Going here)');
    // Paged by 100, as Discord returns them.
    expect(bot.discord.requestsTo('GET', /scheduled-events\/\d+\/users$/).map((r) => r.query.after ?? '')).toHaveLength(2);
  });
});
