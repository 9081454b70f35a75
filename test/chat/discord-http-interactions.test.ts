/**
 * Discord's HTTP interactions (Interactions Endpoint URL) end to end: the real discord.js client and adapter,
 * the bot's HTTP server, and the fake Discord posting signed interactions to it the way Discord does.
 */
import path from 'node:path';
import { DateTime } from 'luxon';
import { loadCommands } from '../../src/commands/registry';
import { loadData } from '../../src/sources/load';
import { makeServices } from '../helpers/services';
import { FakeDiscord } from '../fakes/discord';
import { startDiscordBot, waitUntil, type DiscordBot } from './discord-harness';

const DATA_DIR = path.resolve(__dirname, '..', '..', 'data');
const member = { id: '1400000000000000007', username: 'member', globalName: 'Member' };

describe('Discord interactions over HTTP', () => {
  const data = loadData(DATA_DIR);
  const commands = loadCommands();
  let bot: DiscordBot;
  let runs = 0;

  beforeAll(async () => {
    const now = DateTime.fromISO('2024-07-08T12:00', { zone: data.settings.timeZone });
    const services = makeServices({ catalogue: () => data.catalogue, settings: () => data.settings, now: () => now });
    const dispatcher = (await import('../../src/chat/dispatch')).createDispatcher(commands, services, (await import('pino')).default({ level: 'silent' }));
    const counting = { ...dispatcher, run: (...args: Parameters<typeof dispatcher.run>) => (runs++, dispatcher.run(...args)) };
    bot = await startDiscordBot({ commands, dispatcher: counting, httpInteractions: true });
  });
  afterAll(() => bot.stop());

  it('passes the checks the Developer Portal makes before it saves the URL', async () => {
    const check = await bot.discord.checkInteractionsEndpoint(bot.endpoint!);
    expect(check.ping).toMatchObject({ status: 200, body: '{"type":1}' });
    expect(check.forged.status).toBe(401);
    expect(check.ok).toBe(true);
  });

  it('keeps no gateway connection: interactions and posts need none', () => {
    expect(bot.discord.gateway.identifies).toBe(0);
    expect(bot.discord.gateway.connections).toBe(0);
  });

  it('answers /agenda through the same handler as the gateway, with the answer in the callback', async () => {
    const handle = bot.discord.dispatchInteraction({ kind: 'command', name: 'agenda', options: { event: 'sre-munich-summer-event-2024' }, member });
    const first = await handle.firstCallback;
    expect(handle.state.endpointAnswer?.status).toBe(202);
    expect(first.type).toBe(4);
    expect(JSON.stringify(first.data)).toContain('Celonis');
    expect(first.data?.allowed_mentions).toEqual({ parse: [] });
  });

  it('answers autocomplete and buttons over HTTP too', async () => {
    const choices = await bot.discord.dispatchInteraction({ kind: 'autocomplete', name: 'agenda', options: { event: 'celonis' }, focused: 'event', member }).firstCallback;
    expect(choices.type).toBe(8);
    expect(choices.data?.choices).toContainEqual({ name: expect.stringContaining('Celonis'), value: 'sre-munich-summer-event-2024' });
    const cfp = await bot.discord.dispatchInteraction({ kind: 'command', name: 'cfp', subcommand: 'show', member }).firstCallback;
    const button = JSON.stringify(cfp.data).match(/"custom_id":"([^"]+)"/)?.[1];
    expect(button).toBeDefined();
    const pressed = await bot.discord.dispatchInteraction({ kind: 'button', customId: button!, member }).firstCallback;
    expect(pressed.type).toBe(9); // the CfP form opens
  });

  it('refuses a replayed request: the command runs once', async () => {
    const before = runs;
    const handle = bot.discord.dispatchInteraction({ kind: 'command', name: 'next', member });
    await handle.firstCallback;
    await waitUntil(() => runs === before + 1, 'the first run');
    // Someone who captured the request sends the same bytes and headers again.
    expect((await FakeDiscord.send(bot.endpoint!, handle.state.sent!)).status).toBe(401);
    expect(runs).toBe(before + 1);
    expect(bot.logs.some((l) => l.msg === 'discord interaction refused' && l.reason === 'replayed signature')).toBe(true);
  });

  it('refuses forged, tampered, stale and unsigned requests with 401 before reading them', async () => {
    const before = runs;
    const body = JSON.stringify({ id: '1', token: 't', type: 2, application_id: bot.discord.applicationId, data: { name: 'next', type: 1 } });
    expect((await bot.discord.signedPost(bot.endpoint!, body, { forge: 'key' })).status).toBe(401);
    expect((await bot.discord.signedPost(bot.endpoint!, body, { forge: 'body' })).status).toBe(401);
    expect((await bot.discord.signedPost(bot.endpoint!, body, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    const unsigned = await fetch(bot.endpoint!, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    expect(runs).toBe(before);
  });
});
