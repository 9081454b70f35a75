import { lazyMemoryDb } from '../helpers/db';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { Catalogue } from '../../src/catalogue/catalogue';
import type { MeetupEvent } from '../../src/catalogue/event';
import { ManualClock } from '../helpers/clock';
import { berlin, makeEvent, makeSettings } from '../helpers/events';
import { contentLines, parseBoth } from './ics';
import { startFeedServer, type FeedServerUnderTest } from './feed-server';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** A raw request: node:http sends the path exactly as given (fetch would normalize "/events/../x"). */
function send(server: { port: number }, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode!, headers: res.headers, body, text: body.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const weird: MeetupEvent = makeEvent({
  id: 'grüße aus münchen',
  title: 'Grüße',
  start: berlin('2025-02-05T18:30'),
  end: berlin('2025-02-05T21:00'),
  talks: [],
  agenda: [],
});

function winter(): MeetupEvent {
  return makeEvent({ id: 'sre-munich-winter-event-2025', title: 'Winter 2025', start: berlin('2025-01-29T18:30'), end: berlin('2025-01-29T21:00'), venue: 'Nordcloud', talks: [], agenda: [] });
}

describe('FeedServer over HTTP', () => {
  const clock = new ManualClock('2024-06-01T10:00:00Z');
  const db = lazyMemoryDb();
  let server: FeedServerUnderTest;

  beforeAll(async () => {
    server = await startFeedServer({ db, publicUrl: 'https://cal.sre.xyz', clock });
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('before the first catalogue', () => {
    it('is unhealthy and asks feed clients to retry', async () => {
      const health = await send(server, '/healthz');
      expect(health.status).toBe(503);
      expect(JSON.parse(health.text)).toEqual({ ok: false, events: 0, lastReload: null });
      const feed = await send(server, '/calendar.ics');
      expect(feed.status).toBe(503);
      expect(feed.headers['retry-after']).toBe('5');
    });
  });

  describe('with a catalogue', () => {
    beforeAll(async () => {
      await server.update(new Catalogue([makeEvent(), winter(), weird]), makeSettings());
    });

    it('listens on the port it reports', () => {
      expect(server.port).toBeGreaterThan(0);
      expect(server.http.url).toBe(`http://127.0.0.1:${server.port}`);
    });

    it('serves the calendar with type, validators and caching headers', async () => {
      const reply = await send(server, '/calendar.ics');
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(reply.headers.etag).toMatch(/^"[^"]+"$/);
      expect(reply.headers['last-modified']).toBe('Sat, 01 Jun 2024 10:00:00 GMT');
      expect(reply.headers['cache-control']).toBe('public, max-age=300');
      expect(reply.headers['content-length']).toBe(String(reply.body.length));
      const { events } = parseBoth(reply.text);
      expect(events.map((e) => e.uid)).toEqual([
        'sre-munich-summer-event-2024@muc.sre.xyz',
        'sre-munich-winter-event-2025@muc.sre.xyz',
        'gr%C3%BC%C3%9Fe%20aus%20m%C3%BCnchen@muc.sre.xyz',
      ]);
    });

    it('serves the talks feed and each meetup on its own, also for ids that need encoding', async () => {
      const talks = await send(server, '/talks.ics');
      expect(talks.status).toBe(200);
      expect(parseBoth(talks.text).events).toHaveLength(2);

      const one = await send(server, '/events/sre-munich-winter-event-2025.ics');
      expect(one.status).toBe(200);
      expect(one.headers['content-disposition']).toBe('inline; filename="sre-munich-winter-event-2025.ics"');
      expect(parseBoth(one.text).events.map((e) => e.summary)).toEqual(['Winter 2025']);

      const encoded = await send(server, `/events/${encodeURIComponent(weird.id)}.ics`);
      expect(encoded.status).toBe(200);
      expect(parseBoth(encoded.text).events[0].summary).toBe('Grüße');
    });

    describe('conditional requests', () => {
      it('answers 304 without a body for a matching If-None-Match, weak or listed', async () => {
        const { headers } = await send(server, '/calendar.ics');
        for (const tag of [headers.etag!, `W/${headers.etag}`, `"other", ${headers.etag}`, '*']) {
          const reply = await send(server, '/calendar.ics', { headers: { 'If-None-Match': tag } });
          expect(reply.status).toBe(304);
          expect(reply.body.length).toBe(0);
          expect(reply.headers.etag).toBe(headers.etag);
        }
        expect((await send(server, '/calendar.ics', { headers: { 'If-None-Match': '"stale"' } })).status).toBe(200);
      });

      it('answers 304 for If-Modified-Since at or after Last-Modified, unless If-None-Match disagrees', async () => {
        const lastModified = (await send(server, '/calendar.ics')).headers['last-modified']!;
        expect((await send(server, '/calendar.ics', { headers: { 'If-Modified-Since': lastModified } })).status).toBe(304);
        expect((await send(server, '/calendar.ics', { headers: { 'If-Modified-Since': 'Fri, 31 May 2024 10:00:00 GMT' } })).status).toBe(200);
        expect((await send(server, '/calendar.ics', { headers: { 'If-Modified-Since': 'not a date' } })).status).toBe(200);
        const both = await send(server, '/calendar.ics', { headers: { 'If-Modified-Since': lastModified, 'If-None-Match': '"stale"' } });
        expect(both.status).toBe(200);
      });

      it('works for single meetups and the page too', async () => {
        for (const path of ['/events/sre-munich-winter-event-2025.ics', '/']) {
          const { headers } = await send(server, path);
          expect((await send(server, path, { headers: { 'If-None-Match': headers.etag! } })).status).toBe(304);
        }
      });
    });

    it('answers HEAD with the GET headers and no body', async () => {
      const get = await send(server, '/calendar.ics');
      const head = await send(server, '/calendar.ics', { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      expect(head.headers['content-length']).toBe(String(get.body.length));
      expect(head.headers.etag).toBe(get.headers.etag);
    });

    describe('gzip', () => {
      it('compresses when the client accepts gzip, with its own ETag that still validates', async () => {
        const plain = await send(server, '/calendar.ics');
        const zipped = await send(server, '/calendar.ics', { headers: { 'Accept-Encoding': 'br, gzip;q=0.8' } });
        expect(zipped.headers['content-encoding']).toBe('gzip');
        expect(zipped.headers.vary).toBe('Accept-Encoding');
        expect(zipped.body.length).toBeLessThan(plain.body.length);
        expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
        expect(zipped.headers.etag).not.toBe(plain.headers.etag);
        expect((await send(server, '/calendar.ics', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': zipped.headers.etag! } })).status).toBe(304);
      });

      it('answers a revalidation of the gzip form with a 304 naming the ETag the gzip 200 had', async () => {
        const zipped = await send(server, '/calendar.ics', { headers: { 'Accept-Encoding': 'gzip' } });
        const revalidated = await send(server, '/calendar.ics', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': zipped.headers.etag! } });
        expect(revalidated.status).toBe(304);
        expect(revalidated.headers.etag).toBe(zipped.headers.etag);
        expect(revalidated.headers.vary).toBe('Accept-Encoding');
        const plain = await send(server, '/calendar.ics', { headers: { 'If-None-Match': zipped.headers.etag! } });
        expect(plain.status).toBe(200);
        expect(plain.headers['content-encoding']).toBeUndefined();
      });

      it.each([
        ['gzip;q=0', undefined],
        ['identity', undefined],
        ['*', 'gzip'],
        ['*;q=0', undefined],
        ['deflate, *', 'gzip'],
      ])('Accept-Encoding %p gives %p', async (accept, encoding) => {
        const reply = await send(server, '/calendar.ics', { headers: { 'Accept-Encoding': accept } });
        expect(reply.headers['content-encoding']).toBe(encoding);
      });
    });

    describe('refusals', () => {
      it.each([
        '/events/no-such-meetup.ics',
        '/nope',
        '/CALENDAR.ICS',
        '//calendar.ics',
        '/calendar.ics/',
        '/events/.ics',
        '/events/../calendar.ics',
        '/events/..%2Fcalendar.ics',
        '/events/%2e%2e.ics',
        '/events/sre-munich-winter-event-2025%2F..%2F..%2Fcalendar.ics',
        '/events/..%5Ccalendar.ics',
        '/events/sre-munich-winter-event-2025.ics/../../calendar.ics',
        '/events/%E0%A4%A.ics',
        '/events/%00.ics',
        '/static/../../../etc/passwd',
      ])('404 for %s', async (path) => {
        const reply = await send(server, path);
        expect(reply.status).toBe(404);
        expect(reply.text).not.toContain('BEGIN:VCALENDAR');
      });

      it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('405 with Allow for %s', async (method) => {
        const reply = await send(server, '/calendar.ics', { method });
        expect(reply.status).toBe(405);
        expect(reply.headers.allow).toBe('GET, HEAD');
      });

      it('400 for a bad or repeated alarm, naming the problem', async () => {
        const bad = await send(server, '/calendar.ics?alarm=soon');
        expect(bad.status).toBe(400);
        expect(bad.text).toBe('alarm must be a whole number of minutes\n');
        expect((await send(server, '/calendar.ics?alarm=99999')).text).toBe('alarm must be at most 10080 (one week)\n');
        expect((await send(server, '/calendar.ics?alarm=5&alarm=10')).status).toBe(400);
      });

      it('ignores other query parameters (cache busters) and serves the same bytes', async () => {
        const plain = await send(server, '/calendar.ics');
        const junk = await send(server, '/calendar.ics?utm_source=x&_=123&..%2F..=1&&=');
        expect(junk.status).toBe(200);
        expect(junk.headers.etag).toBe(plain.headers.etag);
      });
    });

    describe('?alarm= variants', () => {
      it('adds a reminder, with their own ETag; a 304 carries the ETag its 200 had, plain and gzip', async () => {
        const plain = await send(server, '/calendar.ics');
        const first = await send(server, '/calendar.ics?alarm=60');
        expect(first.status).toBe(200);
        expect(first.headers.etag).not.toBe(plain.headers.etag);
        expect(parseBoth(first.text).events.every((e) => e.alarmTriggers[0] === '-PT1H')).toBe(true);
        const again = await send(server, '/calendar.ics?alarm=60');
        expect(again.body.equals(first.body)).toBe(true);
        expect((await send(server, '/calendar.ics?alarm=60', { headers: { 'If-None-Match': first.headers.etag! } })).status).toBe(304);
        const zipped = await send(server, '/calendar.ics?alarm=60', { headers: { 'Accept-Encoding': 'gzip' } });
        expect(zipped.headers['content-encoding']).toBe('gzip');
        expect(gunzipSync(zipped.body).equals(first.body)).toBe(true);
        expect(zipped.headers.etag).not.toBe(first.headers.etag);
        const notModified = await send(server, '/calendar.ics?alarm=60', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': zipped.headers.etag! } });
        expect(notModified.status).toBe(304);
        expect(notModified.headers.etag).toBe(zipped.headers.etag);

        const event = await send(server, '/events/sre-munich-winter-event-2025.ics?alarm=15');
        expect(contentLines(event.text)).toContain('TRIGGER:-PT15M');
        const talks = await send(server, '/talks.ics?alarm=0');
        expect(contentLines(talks.text)).toContain('TRIGGER:PT0S');
      });

      it('still 404s for unknown meetups', async () => {
        expect((await send(server, '/events/nope.ics?alarm=10')).status).toBe(404);
      });
    });

    it('reports health as JSON', async () => {
      const reply = await send(server, '/healthz');
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(JSON.parse(reply.text)).toEqual({ ok: true, events: 3, lastReload: '2024-06-01T10:00:00.000Z' });
    });

    it('counts requests by route and status in /metrics, in Prometheus text format', async () => {
      const count = async (route: string, status: number) => {
        const text = (await send(server, '/metrics')).text;
        const line = text.split('\n').find((l) => l.startsWith(`sremuc_http_requests_total{route="${route}",status="${status}"}`));
        return line ? Number(line.split(' ').pop()) : 0;
      };
      const before304 = await count('calendar', 304);
      const before404 = await count('event', 404);
      const { headers } = await send(server, '/calendar.ics');
      await send(server, '/calendar.ics', { headers: { 'If-None-Match': headers.etag! } });
      await send(server, '/calendar.ics', { headers: { 'If-None-Match': headers.etag! } });
      await send(server, '/events/missing.ics');
      expect(await count('calendar', 304)).toBe(before304 + 2);
      expect(await count('event', 404)).toBe(before404 + 1);

      const reply = await send(server, '/metrics');
      expect(reply.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(reply.text).toContain('# TYPE sremuc_http_requests_total counter');
      expect(reply.text).toContain('# HELP sremuc_http_requests_total');
      expect(reply.text).toContain('process_resident_memory_bytes');
    });
  });

  describe('reloads', () => {
    it('keep ETag and Last-Modified when nothing changed, so clients keep getting 304', async () => {
      await server.update(new Catalogue([makeEvent(), winter(), weird]), makeSettings());
      const before = await send(server, '/calendar.ics');
      clock.advance({ hours: 3 });
      await server.update(new Catalogue([weird, winter(), makeEvent()]), makeSettings());
      const after = await send(server, '/calendar.ics', { headers: { 'If-None-Match': before.headers.etag! } });
      expect(after.status).toBe(304);
      expect(after.headers['last-modified']).toBe(before.headers['last-modified']);
      const health = JSON.parse((await send(server, '/healthz')).text);
      expect(health.lastReload).toBe('2024-06-01T13:00:00.000Z');
    });

    it('serve new bytes, a new ETag and a bumped SEQUENCE after an edit, with UIDs unchanged', async () => {
      const before = await send(server, '/calendar.ics');
      const eventBefore = await send(server, '/events/sre-munich-winter-event-2025.ics');
      clock.advance({ hours: 1 });
      await server.update(new Catalogue([makeEvent(), { ...winter(), venue: 'Nordcloud, 12th floor' }, weird]), makeSettings());
      const after = await send(server, '/calendar.ics', { headers: { 'If-None-Match': before.headers.etag! } });
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      expect(after.headers['last-modified']).toBe('Sat, 01 Jun 2024 14:00:00 GMT');
      const events = parseBoth(after.text).events;
      expect(events.map((e) => e.uid)).toEqual(parseBoth(before.text).events.map((e) => e.uid));
      expect(events.map((e) => e.sequence)).toEqual([0, 1, 0]);

      // Other meetups' own feeds did not change: their validators still hold.
      const summer = await send(server, '/events/sre-munich-summer-event-2024.ics');
      expect(summer.headers['last-modified']).toBe('Sat, 01 Jun 2024 10:00:00 GMT');
      expect((await send(server, '/events/sre-munich-winter-event-2025.ics', { headers: { 'If-None-Match': eventBefore.headers.etag! } })).status).toBe(200);
    });

    it('drop meetups that left the catalogue', async () => {
      await server.update(new Catalogue([makeEvent()]), makeSettings());
      expect((await send(server, '/events/sre-munich-winter-event-2025.ics')).status).toBe(404);
      expect(parseBoth((await send(server, '/calendar.ics')).text).events).toHaveLength(1);
    });
  });

  describe('the page', () => {
    it('is HTML with a strict content security policy', async () => {
      const reply = await send(server, '/');
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.headers['content-security-policy']).toMatch(/default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'/);
      expect(reply.text).toContain('href="webcal://cal.sre.xyz/calendar.ics"');
    });

    it('drops a meetup from "upcoming" once it has ended, without a reload', async () => {
      const start = berlin('2024-06-05T18:30');
      await server.update(new Catalogue([makeEvent({ id: 'june', title: 'June meetup', start, end: start.set({ hour: 21, minute: 0 }) })]), makeSettings());
      const upcoming = (html: string) => html.slice(html.indexOf('id="upcoming"'), html.indexOf('</section>', html.indexOf('id="upcoming"')));
      expect(upcoming((await send(server, '/')).text)).toContain('June meetup');
      clock.set('2024-06-05T19:30:00Z');
      const later = await send(server, '/');
      expect(upcoming(later.text)).not.toContain('June meetup');
      expect(upcoming(later.text)).toContain('No upcoming meetup is announced yet');
      expect(later.text).toContain('Past meetups');
    });
  });
});

describe('/metrics', () => {
  it('is refused through a reverse proxy on this machine when no token is configured', async () => {
    const server = await startFeedServer({ publicUrl: 'http://127.0.0.1' });
    try {
      expect((await send(server, '/metrics')).status).toBe(200);
      const proxied = await send(server, '/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
      expect(proxied.status).toBe(403);
      expect(proxied.text).toContain('METRICS_TOKEN');
    } finally {
      await server.stop();
    }
  });

  it('wants the bearer token when METRICS_TOKEN is set, from anywhere', async () => {
    const server = await startFeedServer({ publicUrl: 'http://127.0.0.1', metricsToken: 's3cret-token' });
    try {
      const missing = await send(server, '/metrics');
      expect(missing.status).toBe(401);
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect((await send(server, '/metrics', { headers: { Authorization: 'Bearer wrong-token!' } })).status).toBe(401);
      const ok = await send(server, '/metrics', { headers: { Authorization: 'Bearer s3cret-token', 'X-Forwarded-For': '203.0.113.9' } });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('sremuc_http_requests_total');
    } finally {
      await server.stop();
    }
  });
});

describe('HTTP server lifecycle', () => {
  it('stops promptly even with keep-alive connections open', async () => {
    const server = await startFeedServer({ publicUrl: 'http://127.0.0.1' });
    await server.update(new Catalogue([makeEvent()]), makeSettings());
    const port = server.port;
    const res = await fetch(`http://127.0.0.1:${port}/calendar.ics`, { headers: { Connection: 'keep-alive' } });
    expect(res.status).toBe(200);
    await res.text();
    await server.stop();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('rejects start() when the port is taken', async () => {
    const first = await startFeedServer({ publicUrl: 'http://127.0.0.1' });
    await expect(startFeedServer({ publicUrl: 'http://127.0.0.1', port: first.port })).rejects.toThrow(/EADDRINUSE/);
    await first.stop();
  });
});
