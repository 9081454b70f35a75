import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { RsvpStore } from '../../src/rsvp/store';
import { sharedDb } from '../helpers/db';
import { REAL_DATA, tempDataDir } from '../sources/temp-data';
import { built, ROOT } from '../helpers/built';


describe('npm run rsvp-export -- <event>', () => {
  it('prints the guest list of a meetup in the data as CSV, real names and waitlist order included', async () => {
    const tmp = tempDataDir();
    try {
      tmp.write('settings.yml', readFileSync(path.join(REAL_DATA, 'settings.yml'), 'utf8'));
      tmp.write('events/sremuc-2099-05.yml', 'title: SRE Munich May 2099\nstart: "2099-05-14 18:30"\nrsvp:\n  capacity: 1\n  realName: true\n  question: "Dietary needs?"\n');
      const shared = sharedDb(tmp.dir);
      const db = await shared.open();
      const store = new RsvpStore(db);
      const event = { id: 'sremuc-2099-05', end: DateTime.fromISO('2099-05-14T21:30'), capacity: 1 };
      await store.setRealName('slack', 'U1', 'Anna, "the host" Muster', DateTime.now());
      await store.answer(event, { platform: 'slack', userId: 'U1', name: 'anna' }, 'going', '=HYPERLINK("x")', DateTime.now(), () => undefined);
      await store.answer(event, { platform: 'discord', userId: '1400000000000000012', name: 'Ben' }, 'going', undefined, DateTime.now(), () => undefined);
      await db.close();

      const run = spawnSync(process.execPath, [built('src/cli/rsvp-export.ts'), 'sremuc-2099-05'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, DATA_DIR: tmp.dir, ...shared.env, SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '' },
      });
      expect(run.stderr).toContain('2 answers for sremuc-2099-05');
      expect(run.status).toBe(0);
      const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
      expect(rows.map((r) => [r.status, r.waitlist_position, r.real_name, r.chat_name, r['Dietary needs?']])).toEqual([
        ['Going', '', 'Anna, "the host" Muster', 'anna', `'=HYPERLINK("x")`],
        ['Waitlist', '1', '', 'Ben', ''],
      ]);

      const missing = spawnSync(process.execPath, [built('src/cli/rsvp-export.ts'), 'nothing-like-this'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATA_DIR: tmp.dir, ...shared.env } });
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain('No meetup matches "nothing-like-this"');
    } finally {
      tmp.cleanup();
    }
  });
});
