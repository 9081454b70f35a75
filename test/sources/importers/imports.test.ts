import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { createLogger } from '../../../src/log';
import { Imports } from '../../../src/sources/importers/imports';
import { DataSource } from '../../../src/sources/watch';
import { tempDataDir } from '../temp-data';
import { makeSettings } from '../../helpers/events';
import { fixture } from './context';
import { SchedulePublisher } from './server';

const log = createLogger('silent');
const NOW = DateTime.fromISO('2026-10-01T12:00', { zone: 'Europe/Berlin' });

describe('Imports: sources fetched from a local publisher', () => {
  const publisher = new SchedulePublisher();
  let data: ReturnType<typeof tempDataDir>;
  let cacheDir: string;
  let told: string[];

  beforeAll(() => publisher.start());
  afterAll(() => publisher.stop());
  beforeEach(() => {
    data = tempDataDir();
    cacheDir = mkdtempSync(path.join(os.tmpdir(), 'sremuc-imports-'));
    told = [];
    publisher.routes.clear();
    publisher.requests.length = 0;
  });
  afterEach(() => {
    data.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const imports = () => new Imports({ dataDir: data.dir, cacheDir, log, settings: () => makeSettings(), now: () => NOW, notify: async (text) => void told.push(text) });

  function configure(...entries: Array<{ name: string; kind: string; path: string; extra?: string }>) {
    data.write('sources.yml', `sources:\n${entries.map((e) => `  - name: ${e.name}\n    kind: ${e.kind}\n    url: ${publisher.url(e.path)}\n    refresh: 15m\n${e.extra ?? ''}`).join('')}`);
  }

  it('reads every kind of source the first time, then asks with If-None-Match and gets 304s', async () => {
    publisher.routes.set('/meetup.ics', { body: fixture('meetup-com-sre-munich.ics'), type: 'text/calendar' });
    publisher.routes.set('/all.ics', { body: fixture('sched-srecon16europe.ics'), type: 'text/calendar' });
    publisher.routes.set('/schedule.json', { body: fixture('pretalx-schedule.json'), type: 'application/json' });
    publisher.routes.set('/view/All', { body: fixture('sessionize-all.json'), type: 'application/json' });
    configure(
      { name: 'meetup', kind: 'ics', path: '/meetup.ics' },
      { name: 'srecon-emea-2016', kind: 'sched', path: '/all.ics', extra: '    title: SREcon16 Europe\n' },
      { name: 'sreday', kind: 'pretalx', path: '/schedule.json' },
      { name: 'sre-summit', kind: 'sessionize', path: '/view/All', extra: '    timeZone: Europe/London\n' },
    );
    const running = imports();
    await running.refresh();
    const ids = running.events().map((e) => e.id).sort();
    expect(ids).toEqual(['meetup-event-307123456', 'meetup-event-307123999', 'meetup-event-307124444', 'sre-summit', 'srecon-emea-2016', 'sreday']);
    expect(publisher.requests.map((r) => r.status)).toEqual([200, 200, 200, 200]);

    await running.refresh();
    expect(publisher.requests.slice(4).map((r) => r.status)).toEqual([304, 304, 304, 304]);
    expect(publisher.requests[4]!.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(running.events().map((e) => e.id).sort()).toEqual(ids);
    expect(told).toEqual([]);
  });

  it('uses If-Modified-Since when the publisher only sends Last-Modified', async () => {
    publisher.routes.set('/meetup.ics', { body: fixture('meetup-com-sre-munich.ics'), type: 'text/calendar', etag: false, lastModified: 'Sun, 20 Sep 2026 08:15:00 GMT' });
    configure({ name: 'meetup', kind: 'ics', path: '/meetup.ics' });
    const running = imports();
    await running.refresh();
    await running.refresh();
    expect(publisher.requests.map((r) => [r.status, r.headers['if-modified-since']])).toEqual([
      [200, undefined],
      [304, 'Sun, 20 Sep 2026 08:15:00 GMT'],
    ]);
  });

  it('keeps the last good copy through failures, tells the organizers once, and once more when it works again', async () => {
    publisher.routes.set('/schedule.json', { body: fixture('pretalx-schedule.json'), type: 'application/json' });
    configure({ name: 'sreday', kind: 'pretalx', path: '/schedule.json' });
    const running = imports();
    await running.refresh();
    expect(running.events()).toHaveLength(1);

    publisher.routes.set('/schedule.json', { status: 503 });
    await running.refresh();
    publisher.routes.set('/schedule.json', { hangUp: true });
    await running.refresh();
    publisher.routes.set('/schedule.json', { body: '<html>Maintenance</html>', type: 'text/html' });
    await running.refresh();
    expect(running.events().map((e) => e.id)).toEqual(['sreday']);
    expect(running.events()[0]!.sessions).toHaveLength(5);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^Import "sreday" \(sources\.yml\): Fetching http:\/\/127\.0\.0\.1:\d+\/schedule\.json failed: it answered HTTP 503 Service Unavailable\. The last good copy \(1 event\) stays in service\. I will try again every 15 min/);

    publisher.routes.set('/schedule.json', { body: fixture('pretalx-schedule.json').replace('Hands-on OpenTelemetry', 'Hands-on OpenTelemetry (full)'), type: 'application/json' });
    await running.refresh();
    expect(told).toHaveLength(2);
    expect(told[1]).toMatch(/^Import "sreday" \(sources\.yml\) works again: 1 event from/);
    expect(running.events()[0]!.sessions!.map((s) => s.title)).toContain('Hands-on OpenTelemetry (full)');
  });

  it('a restart during an outage serves the last good copy from disk', async () => {
    publisher.routes.set('/all.ics', { body: fixture('sched-srecon16europe.ics'), type: 'text/calendar' });
    configure({ name: 'srecon-emea-2016', kind: 'sched', path: '/all.ics' });
    await imports().refresh();
    publisher.routes.set('/all.ics', { status: 500 });
    const restarted = imports();
    expect(restarted.events().map((e) => e.id)).toEqual(['srecon-emea-2016']);
    await restarted.refresh();
    expect(restarted.events()[0]!.sessions).toHaveLength(73);
    expect(told).toHaveLength(1);
    // The copy on disk still carries its validators: the restarted bot asks conditionally.
    expect(publisher.requests.at(-1)!.headers['if-none-match']).toBeDefined();
  });

  it('reports a broken sources.yml with its line, and imports nothing from it', () => {
    data.write('sources.yml', 'sources:\n  - name: meetup\n    kind: icalendar\n    url: https://example.org/x.ics\n');
    const running = imports();
    expect(running.events()).toEqual([]);
    expect(running.diagnostics()).toEqual([expect.objectContaining({ file: 'sources.yml', line: 3, severity: 'error' })]);
  });

  it('imported events join the catalogue beside the posts; a post keeps its id', async () => {
    publisher.routes.set('/meetup.ics', { body: fixture('meetup-com-sre-munich.ics'), type: 'text/calendar' });
    configure({ name: 'meetup', kind: 'ics', path: '/meetup.ics' });
    data.write('events/meetup-event-307123999.yml', 'title: Our own post\nstart: "2026-11-03 19:00"\n');
    const source = new DataSource(data.dir, log);
    const running = imports();
    running.onChange((events) => source.setImported(events));
    const heard: number[] = [];
    source.onChange((catalogue) => heard.push(catalogue.events.length));
    await running.refresh();
    const catalogue = source.current().catalogue;
    expect(catalogue.events.map((e) => [e.id, e.title])).toEqual([
      ['meetup-event-307123456', 'SRE Munich Autumn Meetup at Celonis'],
      ['meetup-event-307123999', 'Our own post'],
      ['meetup-event-307124444', 'SRE Munich Winter Meetup'],
    ]);
    expect(heard).toEqual([3]);
    expect(catalogue.find('celonis', NOW).event?.id).toBe('meetup-event-307123456');
  });
});
