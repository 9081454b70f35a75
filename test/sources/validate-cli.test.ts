import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REAL_DATA, tempDataDir } from './temp-data';
import { built, ROOT } from '../helpers/built';

const CELONIS = readFileSync(path.join(REAL_DATA, 'events', 'sre-munich-summer-event-2024.md'), 'utf8');

function validate(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [built('src/cli/validate.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run validate', () => {
  it('the real data: exit 0, info lines as file:line: severity: message, and a summary', () => {
    const { status, stdout } = validate(REAL_DATA);
    expect(status).toBe(0);
    expect(stdout).toContain('events/sre-munich-winter-event-2023.md:40: info: "Talk 0" has no "Talk 0" in the agenda');
    expect(stdout).toMatch(/^13 events from 13 files in .*data, 0 upcoming$/m);
    expect(stdout).toMatch(/^next meetup: none scheduled$/m);
    expect(stdout).toMatch(/^0 errors, 6 warnings, 1 info$/m);
  });

  it('a broken post and a future meetup: exit 1, the error with its line, the next meetup named', () => {
    const tmp = tempDataDir();
    try {
      tmp.write('settings.yml', readFileSync(path.join(REAL_DATA, 'settings.yml'), 'utf8'));
      tmp.write('events/broken.md', '---\ntitle: Broken\neventDate: someday\n---\n');
      tmp.write('events/sremuc-2099-07.md', CELONIS.replace('date: 2024-07-07T07:30:00+02:00', 'date: 2099-07-07T07:30:00+02:00'));
      const { status, stdout } = validate(tmp.dir);
      expect(status).toBe(1);
      expect(stdout).toContain('events/broken.md:3: error: `eventDate`: not a date: write it as 2024-07-10');
      expect(stdout).toMatch(/^1 event from 2 files in .*, 1 upcoming$/m);
      expect(stdout).toMatch(/^next meetup: Fri 10 Jul 2099 18:30 .* SRE Munich at Celonis 2024 \(sremuc-2099-07\)$/m);
      expect(stdout).toMatch(/^1 error, 0 warnings, 0 info$/m);
    } finally {
      tmp.cleanup();
    }
  });

  it('--timezone is checked like BOT_TIMEZONE', () => {
    const { status, stdout } = validate(REAL_DATA, '--timezone', 'Mars/Olympus');
    expect(status).toBe(1);
    expect(stdout).toContain('settings.yml: error: BOT_TIMEZONE "Mars/Olympus" is not a time zone');
  });

  it('--json: the catalogue on stdout (ids, files, times with offsets, venue, agenda, talks, speakers, links), problems on stderr', () => {
    const { status, stdout, stderr } = validate(REAL_DATA, '--json');
    expect(status).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.timeZone).toBe('Europe/Berlin');
    expect(json.events).toHaveLength(13);
    const celonis = json.events.find((e: { id: string }) => e.id === 'sre-munich-summer-event-2024');
    expect(celonis).toMatchObject({
      file: 'events/sre-munich-summer-event-2024.md',
      title: 'SRE Munich at Celonis 2024',
      status: 'scheduled',
      start: '2024-07-10T18:30:00+02:00',
      end: '2024-07-10T21:00:00+02:00',
      timeZone: 'Europe/Berlin',
      venue: 'Celonis',
      url: 'https://muc.sre.xyz/posts/sre-munich-summer-event-2024/',
    });
    expect(celonis.agenda[0]).toEqual({ start: '2024-07-10T18:30:00+02:00', title: expect.any(String) });
    expect(celonis.talks[0]).toMatchObject({ title: 'Upgrading thousands of stateful applications across a global Kubernetes infrastructure', kind: 'talk', start: '2024-07-10T19:10:00+02:00', speakers: [{ name: 'Michael Lex', company: 'ClickHouse' }] });
    expect(celonis.agenda.some((a: { talk?: number }) => a.talk === 0)).toBe(true);
    expect(json.events.filter((e: { dateToBeConfirmed?: boolean }) => e.dateToBeConfirmed)).toHaveLength(6);
    expect(stderr).toContain('events/sre-munich-winter-event-2023.md:40: info:');
    expect(stdout).not.toContain(': info:');
  });
});
