import { lazyMemoryDb } from '../helpers/db';
import fc from 'fast-check';
import ICAL from 'ical.js';
import { Catalogue } from '../../src/catalogue/catalogue';
import type { MeetupEvent } from '../../src/catalogue/event';
import type { CommunitySettings } from '../../src/catalogue/settings';
import { ManualClock } from '../helpers/clock';
import { FeedCatalogue } from '../../src/feeds/catalogue';
import { eventFeedPath, FEED_PATHS } from '../../src/feeds/links';
import { FeedSequences } from '../../src/feeds/sequence';
import { berlin } from '../helpers/events';
import { FC_PARAMS, hostileEvent, hostileSettings, hostileUrl } from './hostile';
import { urlProblem } from './inspect';

/**
 * The calendar feeds and the subscribe page, rendered from hostile meetups and settings through the same
 * FeedCatalogue the HTTP routes serve from. The ICS is read back with ical.js (not our renderer) and the page
 * is read as HTML by patterns written from HTML syntax.
 */

const PUBLIC_URL = 'https://cal.sre.xyz';
const NOW = berlin('2030-06-01T12:00');

/** Every property the feeds write, per component: anything else in the parsed calendar came from data. */
const ALLOWED: Record<string, Set<string>> = {
  vcalendar: new Set(['prodid', 'version', 'calscale', 'method', 'name', 'x-wr-calname', 'description', 'x-wr-caldesc', 'timezone-id', 'x-wr-timezone', 'source', 'url', 'refresh-interval', 'x-published-ttl']),
  vevent: new Set(['uid', 'sequence', 'dtstamp', 'dtstart', 'dtend', 'summary', 'description', 'location', 'url', 'status', 'organizer', 'created', 'last-modified', 'categories', 'transp', 'class', 'x-microsoft-cdo-busystatus']),
  valarm: new Set(['action', 'trigger', 'description']),
  vtimezone: new Set(['tzid', 'x-lic-location', 'tzurl']),
  standard: new Set(['tzoffsetfrom', 'tzoffsetto', 'tzname', 'dtstart', 'rrule', 'rdate']),
  daylight: new Set(['tzoffsetfrom', 'tzoffsetto', 'tzname', 'dtstart', 'rrule', 'rdate']),
};
const URL_PROPERTIES = new Set(['url', 'source', 'tzurl', 'attach', 'conference', 'image']);

const world = fc.record({
  events: fc.array(hostileEvent, { minLength: 1, maxLength: 3 }),
  settings: hostileSettings,
  website: fc.option(hostileUrl, { nil: undefined }),
});

/** Hostile ids too: they end up in paths, UIDs and HTML ids. Dates spread so some meetups are past. */
function catalogueOf(events: MeetupEvent[]): Catalogue {
  return new Catalogue(
    events.map((e, i) => {
      const shift = { days: (i - 1) * 40 };
      return { ...e, id: `${e.id}-${i}`, start: e.start.minus({ days: 400 }).plus(shift), end: e.end.minus({ days: 400 }).plus(shift) };
    }),
  );
}

// One database for every run: sequences only grow, which the feeds handle like any reload.
const feeds = new FeedCatalogue({ sequences: new FeedSequences(lazyMemoryDb(), new ManualClock('2030-06-01T10:00:00Z')), publicUrl: PUBLIC_URL });

async function render(w: { events: MeetupEvent[]; settings: CommunitySettings; website?: string }) {
  const settings: CommunitySettings = { ...w.settings, website: w.website };
  const catalogue = catalogueOf(w.events);
  await feeds.update(catalogue, settings, NOW);
  return { catalogue, settings, carried: JSON.stringify({ w, PUBLIC_URL }) };
}

function icsProblems(text: string, expectedEvents: number, carried: string): string[] {
  const problems: string[] = [];
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    return [`ical.js cannot parse the feed: ${(error as Error).message}`];
  }
  if (root.name !== 'vcalendar') problems.push(`root is ${root.name}`);
  const events = root.getAllSubcomponents('vevent').length;
  if (events !== expectedEvents) problems.push(`${events} VEVENTs, expected ${expectedEvents}`);
  const walk = (component: ICAL.Component) => {
    const allowed = ALLOWED[component.name];
    if (!allowed) problems.push(`component ${component.name} injected`);
    for (const property of component.getAllProperties()) {
      if (allowed && !allowed.has(property.name)) problems.push(`property ${property.name} in ${component.name}: ${JSON.stringify(property.getFirstValue())}`);
      if (URL_PROPERTIES.has(property.name) || property.type === 'uri') {
        const value = String(property.getFirstValue());
        // The zone definitions' TZURL comes from the timezone library, not from data: http(s) is all we ask.
        const ours = component.name === 'vtimezone';
        const problem = /^https?:\/\//.test(value) ? (ours ? undefined : urlProblem(value, carried)) : `${property.name} is not http(s): ${value}`;
        if (problem && !(property.name === 'organizer' && value.startsWith('mailto:'))) problems.push(problem);
      }
    }
    for (const child of component.getAllSubcomponents()) walk(child);
  };
  walk(root);
  // Every physical line is a property, a fold continuation or a component boundary: no bare CR, no stray LF.
  if (/\r(?!\n)|(?<!\r)\n/.test(text)) problems.push('line break other than CRLF');
  return problems;
}

function expectNone(problems: string[]): void {
  if (problems.length > 0) throw new Error(problems.slice(0, 5).join('\n'));
}

/** Attribute values and element text as HTML reads them: entities decoded. */
function decode(text: string): string {
  return text.replace(/&#(\d+);|&#x([0-9a-f]+);|&(amp|lt|gt|quot|apos);/gi, (_, dec, hex, named) =>
    dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[named.toLowerCase()]!,
  );
}

const OWN_PATHS = [FEED_PATHS.page, FEED_PATHS.calendar, FEED_PATHS.talks];

function pageProblems(html: string, catalogue: Catalogue, carried: string): string[] {
  const problems: string[] = [];
  const scripts = [...html.matchAll(/<script\b/gi)];
  // Ours is the single inline script right before </body>, pinned by the CSP hash.
  if (scripts.length !== 1 || !/<script>[^<]*<\/script>\n<\/body>\n<\/html>\n$/.test(html)) problems.push(`${scripts.length} <script> tags or not only ours`);
  const tags = [...html.matchAll(/<([a-z][a-z0-9]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*>/gi)];
  const tagged = html.replace(/<!DOCTYPE html>/, '').replace(/<\/?[a-z][a-z0-9]*((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*>/gi, '');
  // Outside well-formed tags, no `<` or `>` remains: data can open no tag and close no attribute.
  if (/[<>]/.test(tagged.replace(/<script>[^<]*<\/script>/, ''))) problems.push(`raw < or > outside tags: ${tagged.match(/.{0,40}[<>].{0,40}/)?.[0]}`);
  for (const [, name, attrs] of tags) {
    for (const [, attr, value] of attrs!.matchAll(/\s+([^\s=>]+)(?:="([^"]*)")?/g)) {
      if (/^on/i.test(attr!)) problems.push(`event handler ${attr} on <${name}>`);
      if (/^(?:href|src|action|formaction)$/i.test(attr!)) {
        const target = decode(value ?? '');
        const own = target.startsWith(`webcal://cal.sre.xyz/`) || target.startsWith('https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fcal.sre.xyz%2F')
          || OWN_PATHS.some((p) => target === `${PUBLIC_URL}${p}`) || catalogue.events.some((e) => target === `${PUBLIC_URL}${eventFeedPath(e.id)}`);
        if (!own) {
          const problem = /^mailto:/.test(target) ? (/[\s<>"]/.test(target) ? `mailto with markup: ${target}` : undefined) : urlProblem(target, carried);
          if (problem) problems.push(`<${name} ${attr}>: ${problem}`);
        }
      }
    }
  }
  return problems;
}

describe(`nothing from data can inject into the calendar feeds or the subscribe page (seed ${FC_PARAMS.seed}; FC_SEED replays)`, () => {
  it('ICS: ical.js reads exactly the components and properties the feeds write; every URL property is http(s) and named by data', async () => {
    await fc.assert(
      fc.asyncProperty(world, fc.option(fc.integer({ min: 1, max: 10080 }), { nil: undefined }), async (w, alarm) => {
        const { catalogue, carried } = await render(w);
        const bodies: [string, number][] = [];
        const feed = (path: string) => {
          const f = feeds.feed(path)!;
          return (alarm ? f.withAlarm(alarm) : f.resource).plain.body.toString('utf8');
        };
        bodies.push([feed(FEED_PATHS.calendar), catalogue.events.length]);
        const talks = feed(FEED_PATHS.talks);
        bodies.push([talks, catalogue.events.reduce((n, e) => n + e.talks.length, 0)]);
        for (const e of catalogue.events) bodies.push([feed(eventFeedPath(e.id)), 1]);
        for (const [text, count] of bodies) expectNone(icsProblems(text, count, carried));
      }),
      { ...FC_PARAMS, numRuns: Math.ceil(FC_PARAMS.numRuns / 2) },
    );
  });

  it('page: no script but ours, no on*= handler, every href http(s)/mailto or our own feeds, every data string escaped', async () => {
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const { catalogue, settings, carried } = await render(w);
        const html = (await feeds.page(NOW))!.plain.body.toString('utf8');
        expectNone(pageProblems(html, catalogue, carried));
        const listed = catalogue.events.filter((e) => e.end > NOW || e.status !== 'cancelled');
        const strings = [settings.name, settings.hashtag, settings.contact, ...listed.flatMap((e) => [e.title, ...(e.venue ? [e.venue] : [])])];
        // Read as a browser would (tags dropped, entities decoded), each data string is there as written.
        const text = decode(html.replace(/<[^>]*>/g, ''));
        for (const s of strings) if (!text.includes(s)) throw new Error(`not shown as text: ${JSON.stringify(s)}`);
        const ids = [...html.matchAll(/<li id="([^"]*)">/g)].map((m) => decode(m[1]!));
        expect(ids.sort()).toEqual(listed.map((e) => e.id).sort());
      }),
      FC_PARAMS,
    );
  });
});
