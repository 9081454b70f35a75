/**
 * SREcon EMEA 2016 browsed by day and room through the real Slack adapter (Bolt, signed requests) and the real
 * Discord adapter (discord.js) against the fakes, which refuse what the platforms would (Block Kit and embed
 * limits): a long day comes in pages with a "More" button, and the button brings the next page.
 */
import { programmeWorld } from '../commands/programme-world';
import { commands, type World } from '../commands/world';
import { SIGNING_SECRET, startSlackBot, type SlackBot } from './slack-harness';
import { startDiscordBot, waitUntil, type DiscordBot } from './discord-harness';
import type { InteractionHandle } from '../fakes/discord';

interface Block {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { action_id?: string; text?: string | { text: string } }[];
}

describe('SREcon EMEA 2016 on Slack', () => {
  let bot: SlackBot;
  let world: World;
  beforeAll(async () => {
    world = programmeWorld();
    // A generous ack budget: the answer comes in the ack, whatever the machine's load.
    bot = await startSlackBot({ commands, dispatcher: world.dispatcher, ackBudgetMs: 2500 });
  });
  afterAll(() => bot.stop());

  it('/agenda srecon tuesday: rooms as sections, times as <!date>, within Block Kit limits, and a More button that works', async () => {
    const res = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, bot.slack.slashCommandFields('agenda', 'srecon tuesday'));
    expect(res.status).toBe(200);
    const answer = res.json as { blocks: Block[]; text: string };
    expect(answer.blocks.length).toBeLessThanOrEqual(50);
    for (const b of answer.blocks) expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    const texts = answer.blocks.map((b) => b.text?.text ?? '');
    const munster = texts.find((t) => t.startsWith('*Munster*'))!;
    // 09:00 IST on 12 July 2016 is 08:00 UTC: every reader's Slack shows it in their own zone.
    const nine = Date.parse('2016-07-12T08:00:00Z') / 1000;
    expect(munster.split('\n')[1]).toBe(`<!date^${nine}^{time}|09:00>–<!date^${nine + 4800}^{time}|10:20> · <https://srecon16europe.sched.com/event/${munster.match(/event\/([0-9a-f]{4})\//)![1]}/accident-models-in-post-mortems|Accident Models in Post Mortems> — Will Gallego (Software Engineer, Fastly), Miriam Lauter (Software Engineer, Etsy)`);
    const more = answer.blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id?.includes('|1'));
    expect(more?.action_id).toBe('agenda:day:srecon-emea-2016|2016-07-12|1');

    const answered = bot.slack.waitForResponse();
    const press = await bot.slack.sendInteraction(bot.eventsUrl, SIGNING_SECRET, bot.slack.blockActionPayload(more!.action_id!));
    expect(press.status).toBe(200);
    const { body } = await answered;
    const second = JSON.stringify(body);
    expect(second).toContain('page 2 of 2');
    expect(second).toContain('Tuesday BoFs');
    expect(second).not.toContain('Accident Models in Post Mortems');
  });
});

describe('SREcon EMEA 2016 on Discord', () => {
  let bot: DiscordBot;
  beforeAll(async () => {
    bot = await startDiscordBot({ commands, services: programmeWorld().services, ackBudgetMs: 2500 });
  });
  afterAll(() => bot.stop());

  async function callbackOf(handle: InteractionHandle) {
    const route = new RegExp(`^/interactions/${handle.id}/`);
    await waitUntil(() => bot.discord.requestsTo('POST', route).length > 0, `the answer to ${handle.id}`);
    const [request] = bot.discord.requestsTo('POST', route);
    return { status: request!.status, body: request!.body as { type: number; data: { embeds?: Array<{ title?: string; fields?: Array<{ name: string; value: string }>; description?: string }>; components?: Array<{ components: Array<{ custom_id?: string; label?: string }> }> } } };
  }

  it('/agenda event:"srecon monday" is accepted by Discord, rooms as fields with <t:…> times; the day buttons and More work', async () => {
    const overview = await callbackOf(bot.discord.dispatchInteraction({ kind: 'command', name: 'agenda', options: { event: 'srecon' }, member: { id: '1400000000000000007', username: 'member' } }));
    expect(overview.status).toBe(204);
    const buttons = overview.body.data.components!.flatMap((row) => row.components.map((c) => c.custom_id));
    expect(buttons).toEqual(['agenda:day:srecon-emea-2016|2016-07-11|0', 'agenda:day:srecon-emea-2016|2016-07-12|0', 'agenda:day:srecon-emea-2016|2016-07-13|0', 'agenda:now:srecon-emea-2016']);

    const monday = await callbackOf(bot.discord.dispatchInteraction({ kind: 'button', customId: buttons[0]!, member: { id: '1400000000000000007', username: 'member' } }));
    expect(monday.status).toBe(204);
    const embed = monday.body.data.embeds![0]!;
    expect(embed.title).toBe('SREcon16 Europe: Monday 11 July');
    const text = JSON.stringify(monday.body.data.embeds);
    const nine = Date.parse('2016-07-11T08:00:00Z') / 1000;
    expect(text).toContain(`<t:${nine}:t>`);
    expect(text).toContain('Lansdowne+Pembroke');

    const tuesday = await callbackOf(bot.discord.dispatchInteraction({ kind: 'command', name: 'agenda', options: { event: 'srecon tuesday' }, member: { id: '1400000000000000007', username: 'member' } }));
    expect(tuesday.status).toBe(204);
    const more = tuesday.body.data.components!.flatMap((row) => row.components).find((c) => c.label?.startsWith('More'));
    const page2 = await callbackOf(bot.discord.dispatchInteraction({ kind: 'button', customId: more!.custom_id!, member: { id: '1400000000000000007', username: 'member' } }));
    expect(page2.status).toBe(204);
    expect(JSON.stringify(page2.body.data.embeds)).toContain('Tuesday BoFs');
  });
});
