/**
 * The real commands from commands/ over the real data in data/ through the Discord adapter: every answer must be
 * a message Discord accepts (the fake checks content, embed and component limits and answers 400 otherwise).
 */
import path from 'node:path';
import { DateTime } from 'luxon';
import type { CommandServices } from '../../src/commands/definition';
import { loadCommands } from '../../src/commands/registry';
import { loadData } from '../../src/sources/load';
import { PERMISSIONS, type InteractionHandle } from '../fakes/discord';
import { makeServices } from '../helpers/services';
import { startDiscordBot, waitUntil, type DiscordBot } from './discord-harness';

const DATA_DIR = path.resolve(__dirname, '..', '..', 'data');
const member = { id: '1400000000000000007', username: 'member', globalName: 'Member' };
const organizer = { id: '1400000000000000008', username: 'ingo', permissions: PERMISSIONS.ManageEvents };

describe('real commands over the real data through Discord', () => {
  const data = loadData(DATA_DIR);
  const commands = loadCommands();
  const forwarded: unknown[] = [];
  let bot: DiscordBot;
  let services: CommandServices;

  beforeAll(async () => {
    // Just before the July 2024 meetup: /agenda has a next meetup and a long history.
    const now = DateTime.fromISO('2024-07-08T12:00', { zone: data.settings.timeZone });
    services = makeServices({ catalogue: () => data.catalogue, settings: () => data.settings, now: () => now, notifyOrganizers: async (m) => void forwarded.push(m) });
    bot = await startDiscordBot({ commands, services });
  });
  afterAll(() => bot.stop());

  /** The callback the bot sent, whatever the fake answered (a 400 means Discord would have refused it). */
  async function callbackOf(handle: InteractionHandle) {
    const route = new RegExp(`^/interactions/${handle.id}/`);
    await waitUntil(() => bot.discord.requestsTo('POST', route).length > 0, `the answer to ${handle.id}`);
    const [request] = bot.discord.requestsTo('POST', route);
    return { status: request!.status, body: request!.body as { type: number; data: Record<string, unknown> } };
  }

  it.each(data.catalogue.events.map((e) => e.id))('/agenda %s with abstracts is a message Discord accepts', async (id) => {
    const answer = await callbackOf(bot.discord.dispatchInteraction({ kind: 'command', name: 'agenda', options: { event: id, abstracts: true }, member }));
    expect(answer.status).toBe(204);
    expect(answer.body.type).toBe(4);
    expect(answer.body.data.allowed_mentions).toEqual({ parse: [] });
  });

  it.each(['events', 'next', 'subscribe', 'help'])('/%s is a message Discord accepts', async (name) => {
    const answer = await callbackOf(bot.discord.dispatchInteraction({ kind: 'command', name, member }));
    expect(answer).toMatchObject({ status: 204, body: { type: 4 } });
  });

  it('/agenda autocomplete offers real meetups', async () => {
    const answer = await callbackOf(bot.discord.dispatchInteraction({ kind: 'autocomplete', name: 'agenda', options: { event: 'celonis' }, focused: 'event', member }));
    expect(answer.status).toBe(204);
    expect(answer.body.data.choices).toContainEqual({ name: expect.stringContaining('Celonis'), value: 'sre-munich-summer-event-2024' });
  });

  it('/cfp show, the Submit button, the form and a submission reach the organizers', async () => {
    const call = await callbackOf(bot.discord.dispatchInteraction({ kind: 'command', name: 'cfp', subcommand: 'show', member }));
    expect(call.status).toBe(204);
    const open = bot.discord.dispatchInteraction({ kind: 'button', customId: 'cfp:open', member });
    const form = await callbackOf(open);
    expect(form).toMatchObject({ status: 204, body: { type: 9, data: { custom_id: 'cfp:submit' } } });
    const values = Object.fromEntries((form.body.data.components as { component: { custom_id: string } }[]).map((c) => [c.component.custom_id, '']));
    Object.assign(values, { title: 'Tales from On-call: the night DNS broke', abstract: 'What we learned when every pager rang at once, and what we changed afterwards.', length: 'talk', speaker: 'Ada', contact: 'ada@example.org' });
    const submitted = await callbackOf(bot.discord.dispatchInteraction({ kind: 'modalSubmit', fromModal: open.id, values, member }));
    expect(submitted).toMatchObject({ status: 204, body: { type: 4, data: { flags: 64 } } });
    expect(forwarded).toHaveLength(1);
  });

  it('/cfp submit with two bad fields lists both problems privately, and nothing is stored', async () => {
    const open = bot.discord.dispatchInteraction({ kind: 'button', customId: 'cfp:open', member });
    await callbackOf(open);
    const values = { title: 'x', abstract: 'What we learned when every pager rang at once, and what we changed afterwards.', length: '3 hours', speaker: 'Ada', contact: 'ada@example.org' };
    const answer = await callbackOf(bot.discord.dispatchInteraction({ kind: 'modalSubmit', fromModal: open.id, values, member }));
    expect(answer).toMatchObject({ status: 204, body: { type: 4, data: { flags: 64 } } });
    expect(answer.body.data.content).toBe(
      '**Please check the form:**\n• Title is too short: at least 5 characters, please.\n' +
        '• Please give minutes or a kind of talk: we take talks of 20-45 minutes and lightning talks of 5-8 minutes.',
    );
  });

  it('/cfp list is refused to members and shown to organizers', async () => {
    const refused = await callbackOf(bot.discord.dispatchInteraction({ kind: 'command', name: 'cfp', subcommand: 'list', member }));
    expect(refused.body.data).toMatchObject({ content: '/cfp list is for organizers only.', flags: 64 });
    const shown = await callbackOf(bot.discord.dispatchInteraction({ kind: 'command', name: 'cfp', subcommand: 'list', member: organizer }));
    expect(shown).toMatchObject({ status: 204, body: { type: 4 } });
    expect(JSON.stringify(shown.body.data)).toContain('Tales from On-call');
  });
});
