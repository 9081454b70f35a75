import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { githubAnnotation } from '../../src/cli/annotations';
import { REAL_DATA, tempDataDir } from '../sources/temp-data';
import { post, SECTION_INDEX } from '../sources/git-posts';
import { built, ROOT } from '../helpers/built';

const RULES = readFileSync(path.join(REAL_DATA, 'announcements.yml'), 'utf8');

function validate(...args: string[]): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [built('src/cli/validate.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout };
}

describe('npm run validate as a CI step in the website repository', () => {
  it('reads a Hugo site with --events, takes the bot settings from --settings, and checks announcements.yml', () => {
    const site = tempDataDir();
    try {
      site.write('content/events/_index.md', SECTION_INDEX);
      site.write('content/events/spring-2099/index.md', post('Spring 2099', '2099-04-14T18:30').replace('date: 2026-01-05', 'date: 2099-01-05'));
      site.write('content/events/spring-2099/map.png', 'not really a png');
      site.write('announcements.yml', RULES.replace('when: 14d before', 'wen: 14d before'));
      const { status, stdout } = validate(site.dir, '--events', 'content/events', '--settings', REAL_DATA, '--format', 'github');
      expect(status).toBe(1);
      expect(stdout).toContain('::error file=announcements.yml,line=19,title=sremuc-bot::rules[0] (announce): Unrecognized key(s) in object: \'wen\'');
      expect(stdout).toMatch(/^1 event from 1 file in .*, 1 upcoming$/m);
      expect(stdout).toContain('announcements.yml: not loadable (a running bot keeps its last good rules)');
      expect(stdout).toMatch(/^next meetup: Tue 14 Apr 2099 18:30 .* Spring 2099 \(spring-2099\)$/m);
      expect(stdout).toMatch(/^2 errors, 0 warnings, 0 info$/m);

      site.write('announcements.yml', RULES);
      const fixed = validate(site.dir, '--events', 'content/events', '--settings', REAL_DATA);
      expect(fixed.stdout).toContain('announcements.yml: 5 rules');
      expect(fixed.status).toBe(0);
    } finally {
      site.cleanup();
    }
  });

  it('a broken post becomes an annotation on its file and line', () => {
    const site = tempDataDir();
    try {
      site.write('settings.yml', readFileSync(path.join(REAL_DATA, 'settings.yml'), 'utf8'));
      site.write('content/events/broken.md', '---\ntitle: Broken\neventDate: someday\n---\n');
      const { status, stdout } = validate(site.dir, '--events=content/events', '--format=github');
      expect(status).toBe(1);
      expect(stdout).toMatch(/^::error file=content\/events\/broken\.md,line=3,title=sremuc-bot::`eventDate`: not a date/m);
      expect(stdout).toContain('announcements.yml: none (no automatic announcements or reminders)');
    } finally {
      site.cleanup();
    }
  });

  it('refuses an unknown option or format with the usage', () => {
    expect(validate('--format', 'junit')).toMatchObject({ status: 2, stdout: expect.stringContaining('--format must be text, github or json') });
    expect(validate('--evnets', 'x').stdout).toContain('Unknown option --evnets');
  });

  it('escapes what GitHub would read as commands or properties', () => {
    expect(githubAnnotation({ file: 'a,b:c.md', line: 4, severity: 'warning', message: '100% sure\nnext line' })).toBe('::warning file=a%2Cb%3Ac.md,line=4,title=sremuc-bot::100%25 sure%0Anext line');
    expect(githubAnnotation({ file: 'x.md', severity: 'info', message: 'fyi' })).toBe('::notice file=x.md,title=sremuc-bot::fyi');
  });
});
