import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { Catalogue } from '../../src/catalogue/catalogue';
import { ManualClock } from '../helpers/clock';
import { renderSubscribePage } from '../../src/feeds/page';
import { berlin, makeEvent, makeSettings } from '../helpers/events';
import { freeLoopbackPort } from '../fakes/loopback';
import { url } from '../helpers/url';
import type { SafeUrl } from '../../src/catalogue/safe-url';
import { startFeedServer, type FeedServerUnderTest } from './feed-server';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];


const now = '2024-06-01T10:00:00Z';

/** WCAG 2 contrast ratio of two computed CSS colors ("rgb(r, g, b)"). */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = css.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((c) => {
      const v = Number(c) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
const settings = makeSettings({ name: 'SRE <Munich> & "Friends"' });
const july = makeEvent();
const september = makeEvent({
  id: 'sre-munich-wiesn-event-2024',
  title: 'SRE Munich Wiesn edition',
  start: berlin('2024-09-25T18:30'),
  end: berlin('2024-09-25T21:30'),
  venue: 'Google Munich',
  address: 'Erika-Mann-Str. 33',
  url: url('https://muc.sre.xyz/posts/sre-munich-wiesn-event-2024/'),
  talks: [],
  agenda: [],
});
const past = makeEvent({ id: 'sre-munich-winter-event-2024', title: 'Past winter meetup', start: berlin('2024-01-31T18:30'), end: berlin('2024-01-31T21:00') });
const cancelled = makeEvent({ id: 'cancelled-2024', title: 'Cancelled August meetup', start: berlin('2024-08-14T18:30'), end: berlin('2024-08-14T21:00'), status: 'cancelled' });

describe('subscribe page in headless Chromium', () => {
  let server: FeedServerUnderTest;
  let base: string;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  const cspErrors: string[] = [];

  async function open(options: { javaScriptEnabled: boolean }): Promise<void> {
    userDataDir = mkdtempSync(path.join(tmpdir(), 'sremuc-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      // The reader is elsewhere: the page must still show meetup times in the community's zone.
      timezoneId: 'America/Los_Angeles',
      javaScriptEnabled: options.javaScriptEnabled,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => {
      if (/Content.Security.Policy/i.test(msg.text())) cspErrors.push(msg.text());
    });
    await page.goto(`${base}/`);
  }

  async function close(): Promise<void> {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }

  beforeAll(async () => {
    const port = await freeLoopbackPort();
    base = `http://127.0.0.1:${port}`;
    server = await startFeedServer({ port, publicUrl: base, clock: new ManualClock(now) });
    await server.update(new Catalogue([july, september, past, cancelled]), settings);
  });

  afterAll(async () => {
    await server.stop();
  });

  describe('with JavaScript', () => {
    beforeAll(() => open({ javaScriptEnabled: true }));
    afterAll(() => close());

    it('shows the community name as text, never as markup', async () => {
      expect(await page.title()).toBe('SRE <Munich> & "Friends" calendar');
      expect(await page.locator('h1').textContent()).toBe('SRE <Munich> & "Friends" calendar');
      expect(await page.locator('munich').count()).toBe(0);
    });

    it('offers webcal, Google add-by-URL, https and a copyable URL for the calendar and for talks', async () => {
      const href = (feed: string) => page.locator(`a[data-feed="${feed}"]`).getAttribute('href');
      const host = base.replace('http://', '');
      expect(await href('calendar-webcal')).toBe(`webcal://${host}/calendar.ics`);
      expect(await href('calendar-google')).toBe(`https://calendar.google.com/calendar/r?cid=${encodeURIComponent(`webcal://${host}/calendar.ics`)}`);
      expect(await href('calendar-https')).toBe(`${base}/calendar.ics`);
      expect(await href('talks-webcal')).toBe(`webcal://${host}/talks.ics`);
      expect(await page.locator('#calendar-url').inputValue()).toBe(`${base}/calendar.ics`);
    });

    it('lists upcoming meetups, cancelled ones marked, with Berlin times, venue and working links', async () => {
      const items = page.locator('#upcoming + ul.meetups > li');
      expect(await items.locator('h3').allTextContents()).toEqual(['SRE Munich at Celonis 2024', 'Cancelled: Cancelled August meetup', 'SRE Munich Wiesn edition']);
      expect(await items.nth(0).locator('time').textContent()).toBe('Wednesday 10 July 2024, 18:30–21:00 CEST');
      expect(await items.nth(0).locator('time').getAttribute('datetime')).toBe('2024-07-10T18:30:00.000+02:00');
      expect(await items.nth(2).locator('.meta').textContent()).toBe('Wednesday 25 September 2024, 18:30–21:30 CEST · Google Munich, Erika-Mann-Str. 33');
      expect(await items.nth(2).getByText('Event page').getAttribute('href')).toBe('https://muc.sre.xyz/posts/sre-munich-wiesn-event-2024/');

      const ics = await items.nth(2).locator('a[data-ics]').getAttribute('href');
      expect(ics).toBe(`${base}/events/sre-munich-wiesn-event-2024.ics`);
      const response = await page.request.get(ics!);
      expect(response.headers()['content-type']).toBe('text/calendar; charset=utf-8');
      expect(await response.text()).toContain('SUMMARY:SRE Munich Wiesn edition');
    });

    it('lists past meetups, most recent first, with their slides', async () => {
      const items = page.locator('#past + ul.meetups > li');
      expect(await items.locator('h3').allTextContents()).toEqual(['Past winter meetup']);
      const slides = items.nth(0).locator('.links a');
      expect(await slides.first().getAttribute('href')).toBe('https://muc.sre.xyz/slides/2024_07/clickhouse.pdf');
    });

    it('keeps links readable in dark mode (WCAG AA contrast against the page)', async () => {
      await page.emulateMedia({ colorScheme: 'dark' });
      try {
        const colors = await page.evaluate(() => {
          const link = document.querySelector('footer a')!;
          return { link: getComputedStyle(link).color, background: getComputedStyle(document.body).backgroundColor };
        });
        expect(contrast(colors.link, colors.background)).toBeGreaterThanOrEqual(4.5);
      } finally {
        await page.emulateMedia({ colorScheme: 'light' });
      }
    });

    it('reveals the copy button and copies the calendar URL', async () => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
      const button = page.locator('button[data-copy="calendar-url"]');
      await button.click();
      // The label changes once the clipboard write resolves, which a loaded machine may take a moment for.
      await button.filter({ hasText: 'Copied' }).waitFor({ timeout: 10_000 }).catch(() => undefined);
      await expect(button.textContent()).resolves.toBe('Copied');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${base}/calendar.ics`);
    });

    it('runs its inline style and script under the CSP without violations', async () => {
      const background = await page.locator('a[data-feed="calendar-webcal"]').evaluate((a) => getComputedStyle(a).backgroundColor);
      expect(background).toBe('rgb(11, 87, 208)');
      expect(cspErrors).toEqual([]);
    });
  });

  describe('without JavaScript', () => {
    beforeAll(() => open({ javaScriptEnabled: false }));
    afterAll(() => close());

    it('still has every link and the URL to copy by hand; the copy button stays hidden', async () => {
      expect(await page.locator('a[data-feed="calendar-webcal"]').getAttribute('href')).toMatch(/^webcal:\/\//);
      expect(await page.locator('#calendar-url').inputValue()).toBe(`${base}/calendar.ics`);
      expect(await page.locator('button[data-copy="calendar-url"]').isVisible()).toBe(false);
      expect(await page.locator('#upcoming + ul.meetups > li').count()).toBe(3);
    });
  });
});

describe('renderSubscribePage', () => {
  it('says so when nothing is announced, and is valid until the first listed meetup ends', () => {
    const empty = renderSubscribePage({ catalogue: new Catalogue([past]), settings: makeSettings(), publicUrl: 'https://cal.sre.xyz', now: berlin('2024-06-01T12:00') });
    expect(empty.html).toContain('No upcoming meetup is announced yet');
    expect(empty.validUntil).toBeUndefined();

    const listed = renderSubscribePage({ catalogue: new Catalogue([july, september]), settings: makeSettings(), publicUrl: 'https://cal.sre.xyz', now: berlin('2024-06-01T12:00') });
    expect(listed.validUntil?.toISO()).toBe(july.end.toISO());
  });

  it("gives an overnight meetup's end its own day and, across the end of summer time, its own zone name", () => {
    const night = makeEvent({ id: 'night', title: 'On-call night', start: berlin('2024-10-26T22:00'), end: berlin('2024-10-27T04:00'), talks: [], agenda: [] });
    const { html } = renderSubscribePage({ catalogue: new Catalogue([night]), settings: makeSettings(), publicUrl: 'https://cal.sre.xyz', now: berlin('2024-10-01T12:00') });
    expect(html).toContain('Saturday 26 October 2024, 22:00 CEST–Sunday 27 October 2024, 04:00 CET</time>');
  });

  it('an old post without a meetup date says when it was posted; a recent one says "Date to be confirmed"', () => {
    const undated = (id: string, posted: string) =>
      makeEvent({ id, title: id, start: berlin(posted), end: berlin(posted).plus({ hours: 3 }), dateToBeConfirmed: true, talks: [], agenda: [], source: { file: `events/${id}.md`, publishedAt: berlin(posted) } });
    const { html } = renderSubscribePage({ catalogue: new Catalogue([undated('launch-2018', '2018-05-03T06:30'), undated('netlight-2026', '2026-11-25T09:00')]), settings: makeSettings(), publicUrl: 'https://cal.sre.xyz', now: berlin('2026-12-02T10:00') });
    const item = (id: string) => html.slice(html.indexOf(`<li id="${id}">`), html.indexOf('</li>', html.indexOf(`<li id="${id}">`)));
    expect(item('launch-2018')).toContain('Posted 3 May 2018; the meetup date is not in the post');
    expect(item('netlight-2026')).toContain('Date to be confirmed');
    expect(item('launch-2018')).not.toContain('<time');
  });

  it('escapes event fields that reach attributes and text', () => {
    const hostile = makeEvent({ id: '"><script>alert(1)</script>', title: '<img src=x onerror=alert(1)>', venue: 'A & B', // The type keeps such URLs out of events; the page must stay safe even if one slipped past it.
      url: 'javascript:"x"' as SafeUrl });
    const { html } = renderSubscribePage({ catalogue: new Catalogue([hostile]), settings: makeSettings(), publicUrl: 'https://cal.sre.xyz', now: berlin('2024-06-01T12:00') });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('A &#38; B');
    expect(html).not.toContain('javascript:');
  });
});
