/**
 * The real commands through the real dispatcher and the real DiscordChat (discord.js against the fake Discord,
 * which validates bodies like Discord: embed sizes, components, modals).
 */
import { randomUUID } from 'node:crypto';
import type { Talk } from '../../src/catalogue/event';
import type { MessageModel } from '../../src/chat/message';
import { berlin, makeEvent } from '../helpers/events';
import { answerSeen, ORGANIZER_ROLE, ORGANIZERS_CHANNEL, startDiscordBot, waitUntil, type DiscordBot } from '../chat/discord-harness';
import type { MemberSpec } from '../fakes/discord';
import { commands, makeWorld, pastEvents, type World } from './world';

const ZWJ = '\u200d';
const member = { id: '1400000000000000007', username: 'jane', globalName: 'Jane' };
const organizer = { ...member, id: '1400000000000000008', roles: [ORGANIZER_ROLE] };

interface Embed {
  title?: string;
  url?: string;
  description?: string;
  fields?: { name: string; value: string }[];
  footer?: { text: string };
}

describe('the real commands on Discord', () => {
  let bot: DiscordBot;
  let world: World;

  async function start(options: Parameters<typeof makeWorld>[0] = {}): Promise<void> {
    world = makeWorld({ ...options, notify: (m: MessageModel) => bot.chat.post(ORGANIZERS_CHANNEL, m, { deliveryKey: randomUUID() }).then(() => undefined) });
    bot = await startDiscordBot({ commands, dispatcher: world.dispatcher });
  }

  afterEach(() => bot.stop());

  const command = async (name: string, options: Record<string, string | number | boolean> = {}, who: MemberSpec = member, subcommand?: string) => {
    const answer = await answerSeen(bot.discord.dispatchInteraction({ kind: 'command', name, subcommand, options, member: who }));
    return answer as { content?: string; embeds?: Embed[]; components?: { components: { custom_id?: string; label?: string; url?: string }[] }[]; flags?: number; allowed_mentions?: unknown };
  };

  it('/agenda: an embed with the title linked, when/where fields, the agenda, the Abstracts button, the hashtag', async () => {
    await start();
    const data = await command('agenda');
    expect(data.allowed_mentions).toEqual({ parse: [] });
    const [embed] = data.embeds!;
    expect(embed).toMatchObject({ title: 'SRE Munich at Celonis 2024', url: 'https://muc.sre.xyz/posts/sre-munich-summer-event-2024/' });
    const doors = Math.floor(berlin('2024-07-10T18:30').toSeconds());
    expect(embed!.fields![0]).toEqual({ name: 'When', value: `<t:${doors}:D>, <t:${doors}:t>–<t:${doors + 9000}:t>`, inline: true });
    expect(embed!.description).toContain(`<t:${doors + 2400}:t>  **Talk 1: Upgrading thousands of stateful applications across a global Kubernetes infrastructure** — Michael Lex (ClickHouse)`);
    expect(data.embeds!.at(-1)!.footer).toEqual({ text: '#sremuc · muc@sre.xyz' });
    expect(data.components![0]!.components.map((c) => c.custom_id)).toEqual(['agenda:abstracts:sre-munich-summer-event-2024']);
  });

  it('/agenda with the abstracts option and the Abstracts button', async () => {
    await start();
    const withAbstracts = await command('agenda', { event: 'celonis', abstracts: true });
    expect(JSON.stringify(withAbstracts.embeds)).toContain('How do you upgrade thousands of similar but independent stateful applications running ClickHouse?');
    await command('agenda');
    const press = await bot.discord.dispatchInteraction({ kind: 'button', customId: 'agenda:abstracts:sre-munich-summer-event-2024', member }).firstCallback;
    expect(press.data).toMatchObject({ flags: 64, embeds: [{ title: 'Abstracts: SRE Munich at Celonis 2024' }] });
  });

  it('a long agenda with abstracts is accepted by Discord’s embed limits', async () => {
    const startAt = berlin('2024-07-24T18:00');
    const talks: Talk[] = Array.from({ length: 10 }, (_, i) => ({
      title: `Talk ${i + 1}: ${'Reliability at scale, revisited '.repeat(4)}`,
      speakers: [{ name: `Speaker ${i + 1}`, company: 'Example GmbH' }],
      kind: 'talk',
      abstract: 'We learned a lot about error budgets and on-call. '.repeat(50),
      slides: [],
      start: startAt.plus({ minutes: 20 * i }),
    }));
    const marathon = makeEvent({ id: 'marathon', title: 'SRE Munich Marathon', start: startAt, end: startAt.plus({ hours: 5 }), talks, agenda: talks.map((t, i) => ({ start: t.start, title: t.title, talkIndex: i })) });
    await start({ events: [...pastEvents(), marathon] });
    const data = await command('agenda', { event: 'marathon', abstracts: true });
    const size = data.embeds!.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0), 0);
    expect(size).toBeLessThanOrEqual(6000);
    expect(JSON.stringify(data.embeds)).toContain('Read more');
  });

  it('completes meetups while typing', async () => {
    await start();
    const callback = await bot.discord.dispatchInteraction({ kind: 'autocomplete', name: 'agenda', options: { event: 'goog' }, focused: 'event', member }).firstCallback;
    expect(callback).toMatchObject({ type: 8, data: { choices: [{ name: '2023-09-14 · SRE Munich at Google 2023', value: 'sre-munich-summer-fall-event-2023' }] } });
  });

  it('an unknown meetup gets a private "did you mean"; a bad date a private explanation', async () => {
    await start();
    const unknown = await command('agenda', { event: 'celnois' });
    expect(unknown.flags).toBe(64);
    expect(JSON.stringify(unknown)).toContain('sre-munich-summer-event-2024');
    expect(await command('agenda', { event: '2023-13' })).toMatchObject({ flags: 64, content: '"2023-13" is not a date I can read. Use a month like 2023-06 or a day like 2023-06-13.' });
  });

  it('mentions in event data never ping', async () => {
    await start({ events: [makeEvent({ title: '@everyone party <@123> <@&456>', venue: '@here' })] });
    const data = await command('agenda');
    const text = JSON.stringify(data.embeds);
    expect(text).toContain(`@${ZWJ}everyone party`);
    expect(text).not.toMatch(/(?<!\\)<@123>|(?<!\\)<@&456>|@everyone|@here/);
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  it('/cfp show → Submit button → form → stored, forwarded to the organizers’ channel, confirmed privately', async () => {
    await start();
    const call = await command('cfp', {}, member, 'show');
    expect(call.embeds![0]!.title).toBe('Call for talks: SRE Munich');
    expect(call.components![0]!.components).toMatchObject([{ custom_id: 'cfp:open', label: 'Submit a talk' }]);

    const open = bot.discord.dispatchInteraction({ kind: 'button', customId: 'cfp:open', member });
    const shown = await open.firstCallback;
    expect(shown).toMatchObject({ type: 9, data: { custom_id: 'cfp:submit', title: 'Submit a talk' } });
    expect((shown.data!.components as unknown[]).length).toBe(5);

    const values = { title: 'Tales from On-call <@&1>', abstract: 'We lost DNS for an hour. Here is what we learned about caches.', length: 'lightning', speaker: 'Jane', contact: 'jane@example.org' };
    const submitted = await answerSeen(bot.discord.dispatchInteraction({ kind: 'modalSubmit', fromModal: open.id, values, member }));
    expect(submitted).toMatchObject({ flags: 64, embeds: [{ title: 'Thank you!' }] });
    expect(await world.services.cfp.list(5)).toEqual([expect.objectContaining({ title: 'Tales from On-call <@&1>', length: 'Lightning talk (5-8 minutes)', platform: 'discord', userId: member.id })]);
    await waitUntil(() => bot.discord.messages('1300000000000000002').length === 1, 'the forwarded proposal');
    const forwarded = bot.discord.messages('1300000000000000002')[0]!;
    expect(forwarded.pings).toEqual([]);
    expect(JSON.stringify(forwarded.embeds)).toContain('New talk proposal');
  });

  it('/cfp submit with a bad length: the problem is listed privately with a way back into the form', async () => {
    await start();
    const open = bot.discord.dispatchInteraction({ kind: 'command', name: 'cfp', subcommand: 'submit', member });
    expect((await open.firstCallback).type).toBe(9);
    const values = { title: 'A talk title', abstract: 'An abstract that is long enough to be accepted.', length: 'two hours', speaker: 'Jane', contact: 'jane@example.org' };
    const problems = await bot.discord.dispatchInteraction({ kind: 'modalSubmit', fromModal: open.id, values, member }).firstCallback;
    expect(problems.data).toMatchObject({ flags: 64 });
    expect(String(problems.data!.content)).toContain('Please give minutes or a kind of talk');
    const reopenId = (problems.data!.components as { components: { custom_id: string }[] }[])[0]!.components[0]!.custom_id;
    const reopened = await bot.discord.dispatchInteraction({ kind: 'button', customId: reopenId, member }).firstCallback;
    expect(reopened.type).toBe(9);
    expect(reopened.data!.components).toMatchObject([{ component: { custom_id: 'title', value: 'A talk title' } }, {}, { component: { custom_id: 'length', value: 'two hours' } }, {}, {}]);
    expect(await world.services.cfp.list(5)).toEqual([]);
  });

  it('/cfp list: refused to members, shown privately to organizers', async () => {
    await start();
    expect(await command('cfp', {}, member, 'list')).toMatchObject({ flags: 64, content: '/cfp list is for organizers only.' });
    expect(await command('cfp', { count: 5 }, organizer, 'list')).toMatchObject({ flags: 64, content: 'No talk proposals yet.' });
  });

  it('/next, /events, /subscribe, /help', async () => {
    await start();
    expect((await command('next')).content).toMatch(/^Next: \[SRE Munich at Celonis 2024\]\(https:\/\/muc\.sre\.xyz\/posts\/sre-munich-summer-event-2024\/\), <t:\d+:F> at Celonis\./);
    expect((await command('events', { past: 2 })).embeds![0]!.description).toContain('**Recent**');
    expect((await command('subscribe')).components![0]!.components).toMatchObject([{ label: 'All the ways to subscribe', url: 'http://127.0.0.1:8080/' }]);
    const help = await command('help');
    expect(help.flags).toBe(64);
    expect(help.embeds![0]!.description).toContain('/agenda [event:] [abstracts:]');
  });
});
