/**
 * The fake Discord's own protocol rules, checked with plain HTTP: other tests (and helper benches) rely on it
 * answering like Discord does.
 */
import { WebSocket } from 'ws';
import { FakeDiscord } from '../fakes/discord';

const CHANNEL = '1300000000000000001';

describe('FakeDiscord protocol', () => {
  let discord: FakeDiscord;
  let clock = Date.now();

  beforeEach(async () => {
    clock = Date.now();
    discord = await FakeDiscord.start({ now: () => clock });
  });
  afterEach(() => discord.close());

  const api = (method: string, route: string, body?: unknown, auth = true) =>
    fetch(`${discord.apiUrl}/v10${route}`, {
      method,
      headers: { ...(auth ? { authorization: `Bot ${discord.token}` } : {}), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('answers over the global limit with 429, X-RateLimit-Global and an integer Retry-After, and counts it', async () => {
    discord.setGlobalRateLimit(3);
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await api('GET', '/users/@me');
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(limited?.headers.get('x-ratelimit-global')).toBe('true');
    expect(limited?.headers.get('x-ratelimit-scope')).toBe('global');
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited?.json()).toMatchObject({ message: 'You are being rate limited.', global: true });
    expect(discord.rateLimits).toMatchObject({ total: 2, global: 2 });
    expect(discord.rateLimits.byRoute.get('/users/@me')).toBe(2);
  });

  it('a failed message create carries every rate-limit header discord.js reads', async () => {
    discord.failMessageCreates(1, { status: 429, retryAfter: 2, scope: 'shared', bucket: 'b1' });
    const res = await api('POST', `/channels/${CHANNEL}/messages`, { content: 'hi' });
    expect(res.status).toBe(429);
    for (const header of ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-reset-after', 'x-ratelimit-bucket', 'x-ratelimit-scope']) {
      expect(res.headers.get(header)).not.toBeNull();
    }
    expect(res.headers.get('x-ratelimit-global')).toBeNull();
    expect(res.headers.get('x-ratelimit-scope')).toBe('shared');
    expect((await api('POST', `/channels/${CHANNEL}/messages`, { content: 'hi' })).status).toBe(200);
  });

  it('refuses messages beyond Discord’s limits with 400 Invalid Form Body', async () => {
    const tooLong = await api('POST', `/channels/${CHANNEL}/messages`, { content: 'x'.repeat(2001) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ code: 50035, errors: { content: expect.anything() } });
    const hugeEmbeds = await api('POST', `/channels/${CHANNEL}/messages`, { embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] });
    expect(await hugeEmbeds.json()).toMatchObject({ code: 50035, errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } } });
    expect(await (await api('POST', `/channels/${CHANNEL}/messages`, {})).json()).toMatchObject({ code: 50006 });
    expect((await api('POST', `/channels/${CHANNEL}/messages`, { content: 'x', nonce: 'n'.repeat(26) })).status).toBe(400);
    expect(discord.messages(CHANNEL)).toEqual([]);
  });

  it('enforce_nonce returns the earlier message within 5 minutes; fetched messages carry no nonce', async () => {
    const first = (await (await api('POST', `/channels/${CHANNEL}/messages`, { content: 'a', nonce: 'n1', enforce_nonce: true })).json()) as { id: string; nonce: string };
    const again = (await (await api('POST', `/channels/${CHANNEL}/messages`, { content: 'a', nonce: 'n1', enforce_nonce: true })).json()) as { id: string };
    expect(again.id).toBe(first.id);
    expect(first.nonce).toBe('n1');
    clock += 5 * 60_000 + 1;
    const later = (await (await api('POST', `/channels/${CHANNEL}/messages`, { content: 'a', nonce: 'n1', enforce_nonce: true })).json()) as { id: string };
    expect(later.id).not.toBe(first.id);
    const listed = (await (await api('GET', `/channels/${CHANNEL}/messages?limit=10`)).json()) as Record<string, unknown>[];
    expect(listed.map((m) => m.id)).toEqual([later.id, first.id]);
    expect(listed.every((m) => !('nonce' in m))).toBe(true);
  });

  it('without a token answers 401; interaction callbacks need none but must come within 3 s, once', async () => {
    expect((await api('GET', '/users/@me', undefined, false)).status).toBe(401);
    // A session is needed to dispatch: identify over the gateway like a client would.
    const ws = new WebSocket(discord.gatewayUrl);
    await new Promise((resolve) => ws.once('message', resolve));
    ws.send(JSON.stringify({ op: 2, d: { token: discord.token, intents: 1, properties: {} } }));
    await discord.ready();

    const late = discord.dispatchInteraction({ kind: 'command', name: 'agenda' });
    clock += 3_001;
    const tooLate = await api('POST', `/interactions/${late.id}/${late.token}/callback`, { type: 4, data: { content: 'hi' } }, false);
    expect(await tooLate.json()).toMatchObject({ code: 10062 });

    const onTime = discord.dispatchInteraction({ kind: 'command', name: 'agenda' });
    const ok = await api('POST', `/interactions/${onTime.id}/${onTime.token}/callback`, { type: 4, data: { content: 'hi' } }, false);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('content-type')).toBeNull();
    const twice = await api('POST', `/interactions/${onTime.id}/${onTime.token}/callback`, { type: 4, data: { content: 'again' } }, false);
    expect(await twice.json()).toMatchObject({ code: 40060 });
    const wrongType = discord.dispatchInteraction({ kind: 'command', name: 'agenda' });
    expect((await api('POST', `/interactions/${wrongType.id}/${wrongType.token}/callback`, { type: 8, data: { choices: [] } }, false)).status).toBe(400);
    ws.close();
  });
});
