import { PostError } from '../../src/chat/adapter';
import { bold, message } from '../../src/chat/message';
import { DiscordChat } from '../../src/chat/discord/adapter';
import { deliveryMarker } from '../../src/chat/discord/posting';
import { capturingLogger, discordConfig, ANNOUNCE_CHANNEL, startDiscordBot, type DiscordBot } from './discord-harness';
import { url } from '../helpers/url';

const ZWJ = '\u200d';
const noDispatcher = { run: jest.fn(), autocomplete: jest.fn(), button: jest.fn(), modalSubmit: jest.fn() };
const announcement = message({ title: 'SRE Munich at Celonis 2024', intro: [bold('#sremuc'), ' Doors open 18:30 @everyone'], footer: ['#sremuc'] });
const MESSAGE_CREATE = /^\/channels\/\d+\/messages$/;

describe('DiscordChat posting (discord.js REST → fake Discord)', () => {
  let bot: DiscordBot;
  let discord: DiscordBot['discord'];
  let chat: DiscordChat;

  beforeEach(async () => {
    bot = await startDiscordBot({ commands: new Map(), dispatcher: noDispatcher, skipDeploy: true });
    ({ discord, chat } = bot);
  });
  afterEach(() => bot.stop());

  it('posts an embed with the delivery reference as nonce (enforced) and in the footer; findPosted finds it', async () => {
    const key = `announce:sre-munich-summer-event-2024:discord:${ANNOUNCE_CHANNEL}`;
    const marker = deliveryMarker(key);
    const { messageId } = await chat.post(ANNOUNCE_CHANNEL, announcement, { deliveryKey: key });

    const [create] = discord.requestsTo('POST', MESSAGE_CREATE);
    expect(create).toMatchObject({ authorized: true, status: 200 });
    expect(create?.body).toMatchObject({
      nonce: marker,
      enforce_nonce: true,
      allowed_mentions: { parse: [] },
      embeds: [{ title: 'SRE Munich at Celonis 2024', description: `**\\#sremuc** Doors open 18:30 @${ZWJ}everyone`, footer: { text: `#sremuc  ·  ref ${marker}` } }],
    });
    const [stored] = discord.messages(ANNOUNCE_CHANNEL);
    expect(stored).toMatchObject({ id: messageId, pings: [] });

    expect(await chat.findPosted(ANNOUNCE_CHANNEL, key)).toBe(messageId);
    expect(await chat.findPosted(ANNOUNCE_CHANNEL, 'announce:other:discord:x')).toBeUndefined();
    expect(discord.requestsTo('GET', MESSAGE_CREATE)[0]?.query).toEqual({ limit: '100' });
  });

  it('sending the same delivery again (a retry after a lost answer) creates no second message', async () => {
    const first = await chat.post(ANNOUNCE_CHANNEL, announcement, { deliveryKey: 'k-twice' });
    const second = await chat.post(ANNOUNCE_CHANNEL, announcement, { deliveryKey: 'k-twice' });
    expect(second.messageId).toBe(first.messageId);
    expect(discord.messages(ANNOUNCE_CHANNEL)).toHaveLength(1);
  });

  it('finds a delivery beyond the first page of history after a restart, and only among its own messages', async () => {
    const marker = deliveryMarker('old-key');
    const ours = discord.seedMessage(ANNOUNCE_CHANNEL, { embeds: [{ title: 'Reminder', footer: { text: `#sremuc  ·  ref ${marker}` } }] });
    for (let i = 0; i < 150; i++) discord.seedMessage(ANNOUNCE_CHANNEL, { content: `chatter ${i}`, author: { id: '1400000000000000005', username: 'member' } });
    // Someone quoting our footer is not our post.
    discord.seedMessage(ANNOUNCE_CHANNEL, { content: `look: ref ${marker}`, author: { id: '1400000000000000005', username: 'member' } });

    const restarted = new DiscordChat({ config: discordConfig(discord), commands: new Map(), dispatcher: noDispatcher, log: capturingLogger().log });
    expect(await restarted.findPosted(ANNOUNCE_CHANNEL, 'old-key')).toBe(ours.id);
    const pages = discord.requestsTo('GET', MESSAGE_CREATE);
    expect(pages).toHaveLength(2);
    expect(pages[1]?.query.before).toBeDefined();
    await restarted.stop();
  });

  it('a plain-text post carries its reference as subtext, and is found by it', async () => {
    const { messageId } = await chat.post(ANNOUNCE_CHANNEL, message({ intro: ['Doors open in one hour'] }), { deliveryKey: 'k-plain' });
    expect(discord.messages(ANNOUNCE_CHANNEL)[0]?.content).toBe(`Doors open in one hour\n-# ref ${deliveryMarker('k-plain')}`);
    expect(await chat.findPosted(ANNOUNCE_CHANNEL, 'k-plain')).toBe(messageId);
  });

  it('a 429 with Retry-After is waited out by discord.js and retried: posted exactly once', async () => {
    discord.failMessageCreates(1, { status: 429, retryAfter: 1, scope: 'user', bucket: 'abc123' });
    await chat.post(ANNOUNCE_CHANNEL, announcement, { deliveryKey: 'k-429' });
    expect(discord.requestsTo('POST', MESSAGE_CREATE).map((r) => r.status)).toEqual([429, 200]);
    expect(discord.rateLimits.total).toBe(1);
    expect(discord.messages(ANNOUNCE_CHANNEL)).toHaveLength(1);
  });

  it('a 500 is retried by discord.js: posted exactly once', async () => {
    discord.failMessageCreates(1, { status: 500 });
    await chat.post(ANNOUNCE_CHANNEL, announcement, { deliveryKey: 'k-500' });
    expect(discord.requestsTo('POST', MESSAGE_CREATE).map((r) => r.status)).toEqual([500, 200]);
    expect(discord.messages(ANNOUNCE_CHANNEL)).toHaveLength(1);
  });

  it('5xx that never ends becomes a retryable PostError after discord.js’s retries', async () => {
    discord.failMessageCreates(10, { status: 503 });
    const error = await chat.post(ANNOUNCE_CHANNEL, announcement, { deliveryKey: 'k' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostError);
    expect(error).toMatchObject({ retryable: true, message: `Discord post to ${ANNOUNCE_CHANNEL} failed: HTTP 503` });
    expect(discord.requestsTo('POST', MESSAGE_CREATE)).toHaveLength(3);
  });

  it('a rate limit longer than the adapter waits comes back at once as retryable, with the wait', async () => {
    discord.failMessageCreates(1, { status: 429, retryAfter: 60 });
    const error = await chat.post(ANNOUNCE_CHANNEL, announcement, { deliveryKey: 'k-long' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 60_000 });
    expect(discord.messages(ANNOUNCE_CHANNEL)).toHaveLength(0);
  });

  it.each([
    ['Missing Access', { status: 403 as const, code: 50001 }],
    ['Missing Permissions', { status: 403 as const, code: 50013 }],
    ['Unknown Channel', { status: 404 as const, code: 10003 }],
  ])('%s is a PostError that is not retried', async (_name, fault) => {
    discord.failMessageCreates(1, { ...fault, message: _name });
    const error = await chat.post(ANNOUNCE_CHANNEL, announcement, { deliveryKey: 'k' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false, message: `Discord post to ${ANNOUNCE_CHANNEL} failed: ${_name} (HTTP ${fault.status}, code ${fault.code})` });
    expect(discord.requestsTo('POST', MESSAGE_CREATE)).toHaveLength(1);
  });

  it('an unknown channel or a channel without access fails for good', async () => {
    discord.denyChannel(ANNOUNCE_CHANNEL, 50001);
    await expect(chat.post(ANNOUNCE_CHANNEL, announcement, { deliveryKey: 'k' })).rejects.toMatchObject({ retryable: false });
    await expect(chat.post('1300000000000000404', announcement, { deliveryKey: 'k' })).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('Unknown Channel') });
  });

  it('edit() replaces the embed, keeps the reference (also after a restart) and clears old plain content', async () => {
    const { messageId } = await chat.post(ANNOUNCE_CHANNEL, message({ intro: ['Doors open soon'] }), { deliveryKey: 'k-edit' });
    await chat.edit(ANNOUNCE_CHANNEL, messageId, message({ title: 'Moved to 19:00', sections: [{ body: ['New time'] }] }));
    const [stored] = discord.messages(ANNOUNCE_CHANNEL);
    expect(stored).toMatchObject({ id: messageId, content: '', embeds: [{ title: 'Moved to 19:00', footer: { text: `ref ${deliveryMarker('k-edit')}` } }] });
    expect(stored?.edited_timestamp).not.toBeNull();

    const restarted = new DiscordChat({ config: discordConfig(discord), commands: new Map(), dispatcher: noDispatcher, log: capturingLogger().log });
    await restarted.edit(ANNOUNCE_CHANNEL, messageId, message({ title: 'Moved again', footer: ['#sremuc'] }));
    expect(discord.messages(ANNOUNCE_CHANNEL)[0]?.embeds[0]).toMatchObject({ title: 'Moved again', footer: { text: `#sremuc  ·  ref ${deliveryMarker('k-edit')}` } });
    expect(await restarted.findPosted(ANNOUNCE_CHANNEL, 'k-edit')).toBe(messageId);
    await expect(restarted.edit(ANNOUNCE_CHANNEL, '1300000000000009999', announcement)).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('Unknown Message') });
    await restarted.stop();
  });

  it('a plain post with a link has no preview card; edited into an embed, the embed shows', async () => {
    const { messageId } = await chat.post(ANNOUNCE_CHANNEL, message({ intro: ['Slides: https://muc.sre.xyz/slides/'] }), { deliveryKey: 'k-link' });
    expect(discord.messages(ANNOUNCE_CHANNEL)[0]?.flags).toBe(4);
    await chat.edit(ANNOUNCE_CHANNEL, messageId, message({ title: 'Slides', links: [{ label: 'All slides', url: url('https://muc.sre.xyz/slides/') }] }));
    expect(discord.messages(ANNOUNCE_CHANNEL)[0]).toMatchObject({ flags: 0, content: '', embeds: [{ title: 'Slides' }] });
  });

  it('under Discord’s global rate limit every post arrives exactly once: a refused one comes back retryable, sent nothing', async () => {
    discord.setGlobalRateLimit(10);
    const keys = Array.from({ length: 25 }, (_, i) => `k-global-${i}`);
    const ids: string[] = [];
    // As the outbox does: a post refused for the global limit is tried again later (with a send slot of its own).
    for (let pending = keys; pending.length > 0; ) {
      const results = await Promise.allSettled(pending.map((deliveryKey) => chat.post(ANNOUNCE_CHANNEL, announcement, { deliveryKey })));
      const refused = results.flatMap((r, i) => (r.status === 'rejected' ? [{ key: pending[i]!, error: r.reason as PostError }] : []));
      for (const r of results) if (r.status === 'fulfilled') ids.push(r.value.messageId);
      for (const { error } of refused) expect(error).toMatchObject({ retryable: true, ambiguous: false, message: expect.stringContaining('rate limited (global)') });
      pending = refused.map((r) => r.key);
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, Math.max(...refused.map((r) => r.error.retryAfterMs ?? 0))));
    }
    expect(new Set(ids).size).toBe(25);
    expect(discord.messages(ANNOUNCE_CHANNEL)).toHaveLength(25);
    expect(discord.rateLimits.global).toBe(discord.rateLimits.total);
  });
});
