import { PostError } from '../../src/chat/adapter';
import { bold, message } from '../../src/chat/message';
import { SlackChat } from '../../src/chat/slack/adapter';
import { createLogger } from '../../src/log';
import { FakeSlack } from '../fakes/slack';

const ZWJ = '\u200d';

describe('SlackChat posting (real Bolt web client → fake Slack)', () => {
  let slack: FakeSlack;
  let chat: SlackChat;

  beforeEach(async () => {
    slack = await FakeSlack.start();
    chat = new SlackChat({
      config: { botToken: 'xoxb-test-token', mode: 'http', signingSecret: 'secret', port: 0, apiUrl: slack.apiUrl, announceChannels: ['C0ANNOUNCE'], organizersChannel: 'C0ORGS', organizerUserIds: [] },
      commands: new Map(),
      dispatcher: { runText: jest.fn(), button: jest.fn(), modalSubmit: jest.fn() },
      log: createLogger('silent'),
      retryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 20 },
    });
    await chat.start();
  });

  afterEach(async () => {
    await chat.stop();
    await slack.close();
  });

  const announcement = message({ title: 'SRE Munich at Celonis 2024', intro: [bold('#sremuc'), ' Doors open 18:30'] });

  it('posts blocks, fallback text and the delivery key as message metadata; findPosted finds it', async () => {
    const { messageId } = await chat.post('C0ANNOUNCE', announcement, { deliveryKey: 'announce:sre-2024:slack:C0ANNOUNCE' });

    const [stored] = slack.messages('C0ANNOUNCE');
    expect(stored?.ts).toBe(messageId);
    expect(stored?.text).toBe('SRE Munich at Celonis 2024\n#sremuc Doors open 18:30');
    expect(stored?.blocks?.[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'SRE Munich at Celonis 2024', emoji: true } });
    expect(stored?.metadata).toEqual({ event_type: 'sremuc_post', event_payload: { delivery_key: 'announce:sre-2024:slack:C0ANNOUNCE' } });
    expect(slack.callsTo('chat.postMessage')[0]?.token).toBe('xoxb-test-token');

    expect(await chat.findPosted('C0ANNOUNCE', 'announce:sre-2024:slack:C0ANNOUNCE')).toBe(messageId);
    expect(await chat.findPosted('C0ANNOUNCE', 'announce:other:slack:C0ANNOUNCE')).toBeUndefined();
    expect(slack.callsTo('conversations.history')[0]?.params.include_all_metadata).toBe('true');
  });

  it('finds a delivery key beyond the first page of history', async () => {
    slack.seedMessage('C0ANNOUNCE', { text: 'old', metadata: { event_type: 'sremuc_post', event_payload: { delivery_key: 'old-key' } } });
    for (let i = 0; i < 250; i++) slack.seedMessage('C0ANNOUNCE', { text: `chatter ${i}` });
    const [old] = slack.messages('C0ANNOUNCE');
    expect(await chat.findPosted('C0ANNOUNCE', 'old-key')).toBe(old?.ts);
    expect(slack.callsTo('conversations.history')).toHaveLength(2);
  });

  // Slack has no idempotency key: posting calls are never retried by the client, the outbox decides (issue 12).
  it('a 429 is a clear refusal, handed back with its Retry-After and not retried by the client', async () => {
    slack.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    const error = await chat.post('C0ANNOUNCE', announcement, { deliveryKey: 'k-429' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, ambiguous: false, retryAfterMs: 1000 });
    expect(slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429]);
    expect(slack.messages('C0ANNOUNCE')).toHaveLength(0);
  });

  it('an HTTP 500 is an unknown outcome (the post may be stored), not retried by the client', async () => {
    slack.fail('chat.postMessage', { storeThen: 500 });
    const error = await chat.post('C0ANNOUNCE', announcement, { deliveryKey: 'k-500' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostError);
    expect(error).toMatchObject({ retryable: true, ambiguous: true, message: 'Slack chat.postMessage failed: HTTP 500' });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.messages('C0ANNOUNCE')).toHaveLength(1);
    expect(await chat.findPosted('C0ANNOUNCE', 'k-500')).toBe(slack.messages('C0ANNOUNCE')[0]!.ts);
  });

  it.each(['channel_not_found', 'not_in_channel', 'is_archived'])('%s is a PostError that is not retried', async (code) => {
    slack.fail('chat.postMessage', { error: code });
    const error = await chat.post('C0GONE', announcement, { deliveryKey: 'k' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostError);
    expect(error).toMatchObject({ retryable: false, message: `Slack chat.postMessage failed: ${code}` });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.messages('C0GONE')).toHaveLength(0);
  });

  it('edit() replaces blocks and text of the posted message with chat.update', async () => {
    const { messageId } = await chat.post('C0ANNOUNCE', announcement, { deliveryKey: 'k-edit' });
    await chat.edit('C0ANNOUNCE', messageId, message({ title: 'Moved to 19:00', sections: [{ body: ['New time'] }] }));
    const [stored] = slack.messages('C0ANNOUNCE');
    expect(stored).toMatchObject({ ts: messageId, edited: true, text: 'Moved to 19:00\nNew time' });
    expect(slack.messages('C0ANNOUNCE')).toHaveLength(1);
    const missing = await chat.edit('C0ANNOUNCE', '1.000', announcement).catch((e: unknown) => e);
    expect(missing).toMatchObject({ retryable: false, message: 'Slack chat.update failed: message_not_found' });
  });

  it('mentions in event text reach Slack escaped, in blocks and in the fallback', async () => {
    const hostile = message({ intro: ['Venue <!channel> @everyone <@U123> & friends'] });
    await chat.post('C0ANNOUNCE', hostile, { deliveryKey: 'k-mention' });
    const [stored] = slack.messages('C0ANNOUNCE');
    const escaped = `Venue &lt;!channel&gt; @${ZWJ}everyone &lt;@U123&gt; &amp; friends`;
    expect(stored?.text).toBe(escaped);
    expect(stored?.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: escaped, verbatim: true } }]);
  });

  it('start() fails with the Slack error when the bot token is rejected, instead of crashing later', async () => {
    const wrong = new SlackChat({
      config: { botToken: 'xoxb-revoked', mode: 'http', signingSecret: 'secret', port: 0, apiUrl: slack.apiUrl, announceChannels: [], organizerUserIds: [] },
      commands: new Map(),
      dispatcher: { runText: jest.fn(), button: jest.fn(), modalSubmit: jest.fn() },
      log: createLogger('silent'),
      retryConfig: { retries: 0 },
    });
    await expect(wrong.start()).rejects.toThrow(/invalid_auth/);
    expect(wrong.port).toBeUndefined();
  });

  it('under a per-channel rate limit, a post refused with 429 is not repeated by the client', async () => {
    slack.limitPostsPerChannel(1);
    const results = await Promise.allSettled([
      chat.post('C0ANNOUNCE', announcement, { deliveryKey: 'a' }),
      chat.post('C0OTHER', announcement, { deliveryKey: 'b' }),
      chat.post('C0ANNOUNCE', announcement, { deliveryKey: 'c' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(slack.messages('C0ANNOUNCE').map((m) => m.metadata?.event_payload.delivery_key)).toEqual(['a']);
    expect(slack.callsTo('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(1);
  });
});
