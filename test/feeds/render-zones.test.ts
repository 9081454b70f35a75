import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { contentLines, parseBoth } from './ics';
import { built, ROOT } from '../helpers/built';

const run = promisify(execFile);

/** Renders the same calendar in a child process whose local time zone is `tz`. */
async function renderUnder(tz: string): Promise<{ zone: string; calendar: string; talks: string }> {
  // The compiled script, run by plain node as the bot runs.
  const { stdout } = await run(process.execPath, [built('test/feeds/render-in-zone.ts')], {
    cwd: ROOT,
    env: { ...process.env, TZ: tz },
  });
  return JSON.parse(stdout);
}

describe('feeds do not depend on the server process time zone', () => {
  let outputs: Awaited<ReturnType<typeof renderUnder>>[];

  beforeAll(async () => {
    outputs = await Promise.all(['UTC', 'America/New_York', 'Europe/Berlin'].map(renderUnder));
  });

  it('really ran in each zone', () => {
    expect(outputs.map((o) => o.zone)).toEqual(['UTC', 'America/New_York', 'Europe/Berlin']);
  });

  it('writes Berlin wall times and UTC stamps whatever TZ says', () => {
    for (const { calendar } of outputs) {
      const lines = contentLines(calendar);
      expect(lines).toEqual(
        expect.arrayContaining([
          'DTSTART;TZID=Europe/Berlin:20240710T183000',
          'DTSTART;TZID=Europe/Berlin:20240131T183000',
          'DTSTART;TZID=Europe/Berlin:20241026T220000',
          'DTEND;TZID=Europe/Berlin:20241027T040000',
          'DTSTAMP:20240601T100000Z',
        ]),
      );
    }
  });

  it('gives byte-identical feeds in every zone', () => {
    const [utc, ...others] = outputs;
    for (const other of others) {
      expect(other.calendar).toBe(utc.calendar);
      expect(other.talks).toBe(utc.talks);
    }
  });

  it('parses to the same instants with both parsers', () => {
    const starts = parseBoth(outputs[1].calendar).events.map((e) => [e.uid.split('@')[0], e.start, e.end]);
    expect(starts).toEqual([
      ['winter', '2024-01-31T17:30:00.000Z', '2024-01-31T20:00:00.000Z'],
      ['sre-munich-summer-event-2024', '2024-07-10T16:30:00.000Z', '2024-07-10T19:00:00.000Z'],
      ['fall-back-night', '2024-10-26T20:00:00.000Z', '2024-10-27T03:00:00.000Z'],
    ]);
  });
});
