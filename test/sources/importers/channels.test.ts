/**
 * Per-source channels: a source in sources.yml may name its own channels for announcements of its events;
 * without them its events go to the community's. Validated with file:line like the rest of sources.yml, and
 * followed end to end by the whole bot (console chat, whose posts name their channel) importing from a local
 * publisher.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createBot, type Bot } from '../../../src/bot';
import { ManualClock } from '../../helpers/clock';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/log';
import { parseSourcesConfig } from '../../../src/sources/importers/config';
import { berlin } from '../../helpers/events';
import { botDatabaseEnv } from '../../helpers/db';
import { fixture } from './context';
import { SchedulePublisher } from './server';

jest.setTimeout(120_000);

describe('sources.yml channels', () => {
  const base = 'sources:\n  - name: partners\n    kind: ics\n    url: https://example.org/partners.ics\n    announce: true\n';

  it('reads slack: and discord: channel ids', () => {
    const { sources, diagnostics } = parseSourcesConfig(`${base}    channels: ["slack:C0123ABCD", "discord:112233445566778899"]\n`);
    expect(diagnostics).toEqual([]);
    expect(sources[0]!.channels).toEqual([
      { platform: 'slack', channel: 'C0123ABCD' },
      { platform: 'discord', channel: '112233445566778899' },
    ]);
    expect(parseSourcesConfig(base).sources[0]!.channels).toBeUndefined();
  });

  it('a channel not written platform:id, or an empty list, is an error at its line, and no source is imported', () => {
    const bad = parseSourcesConfig(`${base}    channels:\n      - slack:C0123ABCD\n      - "#general"\n`);
    expect(bad.sources).toEqual([]);
    expect(bad.diagnostics).toEqual([{ file: 'sources.yml', line: 8, severity: 'error', message: expect.stringContaining('should be platform:channel-id, e.g. "slack:C0123ABCD"') }]);
    const empty = parseSourcesConfig(`${base}    channels: []\n`);
    expect(empty.diagnostics).toEqual([expect.objectContaining({ file: 'sources.yml', line: 6, severity: 'error', message: expect.stringContaining('is empty') })]);
    const typo = parseSourcesConfig(`${base}    channel: ["slack:C0123ABCD"]\n`);
    expect(typo.diagnostics).toEqual([expect.objectContaining({ line: 6, severity: 'error', message: expect.stringContaining('channels') })]);
  });
});

describe('the bot announces an import in its source’s channels', () => {
  const publisher = new SchedulePublisher();
  const clock = new ManualClock(berlin('2026-10-15T12:00'));
  let dir: string;
  let bot: Bot;
  let output = '';

  beforeAll(async () => {
    await publisher.start();
    publisher.routes.set('/meetup.ics', { body: fixture('meetup-com-sre-munich.ics'), type: 'text/calendar' });
    publisher.routes.set('/reading.ics', { body: fixture('google-reading-group.ics'), type: 'text/calendar' });
    dir = mkdtempSync(path.join(tmpdir(), 'sremuc-channels-'));
    const data = path.join(dir, 'data');
    mkdirSync(path.join(data, 'events'), { recursive: true });
    writeFileSync(path.join(data, 'settings.yml'), 'name: SRE Munich\nhashtag: "#sremuc"\ncontact: muc@sre.xyz\ntimeZone: Europe/Berlin\n');
    writeFileSync(path.join(data, 'announcements.yml'), readFileSync(path.resolve(__dirname, '..', '..', '..', 'data', 'announcements.yml'), 'utf8'));
    writeFileSync(
      path.join(data, 'sources.yml'),
      `sources:
  - name: meetup
    kind: ics
    url: ${publisher.url('/meetup.ics')}
    announce: true
    channels: ["console:partners"]
  - name: reading
    kind: ics
    url: ${publisher.url('/reading.ics')}
    announce: true
`,
    );
    const out = new PassThrough();
    out.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const config = loadConfig({ DATA_DIR: data, ...(await botDatabaseEnv(dir)), HTTP_PORT: '0', CONSOLE_CHAT: 'true' });
    bot = await createBot(config, { clock, input: new PassThrough(), output: out, log: createLogger(process.env.BOT_TEST_LOG ?? 'silent') });
    await bot.start();
  });

  afterAll(async () => {
    await bot?.stop();
    await publisher.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const posts = () => output.split(/(?=\[post to #)/).filter((p) => p.startsWith('[post to #'));

  it('the Meetup.com source’s event goes to its own channel only; the other source’s to the community’s', async () => {
    // Up to 90 s: on a loaded machine (and on PostgreSQL, a round trip per query) the first ticks take a while.
    for (let i = 0; i < 4500 && !(posts().some((p) => p.includes('Autumn Meetup at Celonis')) && posts().some((p) => p.startsWith('[post to #announcements]'))); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const autumn = posts().filter((p) => p.includes('SRE Munich Autumn Meetup at Celonis'));
    expect(autumn.map((p) => p.split('\n')[0])).toEqual(['[post to #partners]']);
    const community = posts().filter((p) => p.startsWith('[post to #announcements]'));
    expect(community.length).toBeGreaterThan(0);
    expect(community.some((p) => p.includes('Celonis'))).toBe(false);
    // The imported event carries its source's channels, which the planner (and /announce preview) uses.
    expect(bot.data.current().catalogue.byId('meetup-event-307123456')?.channels).toEqual([{ platform: 'console', channel: 'partners' }]);
  });
});
