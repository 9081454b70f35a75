import { HttpServer } from '../../src/http/server';
import { createLogger } from '../../src/log';

describe('HttpServer: one server, routes registered by each part of the bot', () => {
  const server = new HttpServer({ host: '127.0.0.1', port: 0, log: createLogger('silent') });
  const seen: string[] = [];

  beforeAll(async () => {
    server.add({ name: 'exact', path: '/thing', handle: (_req, res) => void res.end('exact') });
    server.add({ name: 'under', path: '/hooks/', prefix: true, methods: ['POST'], handle: (_req, res, path) => void res.end(`under ${path}`) });
    server.add({ name: 'deeper', path: '/hooks/git/', prefix: true, methods: ['POST'], handle: (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => res.end(`git got ${body}`));
    } });
    server.add({ name: 'broken', path: '/broken', handle: async () => {
      seen.push('broken');
      throw new Error('boom');
    } });
    await server.start();
  });
  afterAll(() => server.stop());

  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${server.url}${path}`, init);
    return { status: res.status, text: await res.text(), allow: res.headers.get('allow') };
  };

  it('answers an exact path, and only that path', async () => {
    expect(await call('/thing')).toMatchObject({ status: 200, text: 'exact' });
    expect(await call('/thing?x=1')).toMatchObject({ status: 200, text: 'exact' });
    expect((await call('/thing/')).status).toBe(404);
    expect((await call('/THING')).status).toBe(404);
  });

  it('hands a prefix route every path under it, the longest prefix first, with the request body', async () => {
    expect(await call('/hooks/slack', { method: 'POST' })).toMatchObject({ status: 200, text: 'under /hooks/slack' });
    expect(await call('/hooks/git/push', { method: 'POST', body: 'payload' })).toMatchObject({ status: 200, text: 'git got payload' });
    expect((await call('/hooks', { method: 'POST' })).status).toBe(404);
  });

  it('answers 405 with Allow for a method the route does not take', async () => {
    expect(await call('/thing', { method: 'POST' })).toMatchObject({ status: 405, allow: 'GET, HEAD', text: 'Only GET and HEAD are supported.\n' });
    expect(await call('/hooks/git/push')).toMatchObject({ status: 405, allow: 'POST', text: 'Only POST is supported.\n' });
  });

  it('turns a failing handler into a 500 without taking the server down', async () => {
    expect(await call('/broken')).toMatchObject({ status: 500, text: 'Internal error.\n' });
    expect(seen).toEqual(['broken']);
    expect((await call('/thing')).status).toBe(200);
  });

  it('refuses a path registered twice and a path that is not absolute', () => {
    expect(() => server.add({ name: 'again', path: '/thing', handle: () => undefined })).toThrow('route /thing is registered twice');
    expect(() => server.add({ name: 'again', path: '/hooks/', prefix: true, handle: () => undefined })).toThrow('registered twice');
    expect(() => server.add({ name: 'relative', path: 'thing', handle: () => undefined })).toThrow('must start with "/"');
  });
});
