import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, loadSettings, parseSettingsText } from '../../src/sources/settings';
import { REAL_DATA, tempDataDir } from './temp-data';

const REAL = readFileSync(path.join(REAL_DATA, 'settings.yml'), 'utf8');

describe('settings.yml', () => {
  it('the real file validates into the SRE Munich settings', () => {
    const { settings, diagnostics, fromFile } = loadSettings(REAL_DATA);
    expect(diagnostics).toEqual([]);
    expect(fromFile).toBe(true);
    expect(settings).toMatchObject({
      name: 'SRE Munich',
      hashtag: '#sremuc',
      contact: 'muc@sre.xyz',
      timeZone: 'Europe/Berlin',
      website: 'https://muc.sre.xyz',
      eventUrlTemplate: '{website}/posts/{id}/',
      cfp: { talkMinutes: { min: 20, max: 45 }, lightningMinutes: { min: 5, max: 8 }, submitUrl: 'mailto:muc@sre.xyz' },
    });
    expect(settings.cfp.formats).toContain('Tales from On-call / Featured Post Mortem');
    expect(settings.cfp.text).toMatch(/^We're always looking for 20-45 minute \(technical\) talks/);
    expect('deadline' in settings.cfp).toBe(false);
  });

  it('BOT_TIMEZONE overrides the file; an unknown zone is an error and the file zone stays', () => {
    expect(loadSettings(REAL_DATA, { timeZone: 'America/New_York' }).settings.timeZone).toBe('America/New_York');
    const bad = loadSettings(REAL_DATA, { timeZone: 'Mars/Olympus' });
    expect(bad.settings.timeZone).toBe('Europe/Berlin');
    expect(bad.diagnostics).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('BOT_TIMEZONE "Mars/Olympus"') })]);
  });

  it.each([
    ['timeZone: Europe/Berlin', 'timeZone: Europe/Munich', 'timeZone', /not a time zone/],
    ['hashtag: "#sremuc"', 'hashtag: "sremuc"', 'hashtag', /should start with #/],
    ['website: https://muc.sre.xyz', 'website: muc.sre.xyz', 'website', /full URL/],
    ['  talkMinutes: { min: 20, max: 45 }', '  talkMinutes: { min: 50, max: 45 }', 'cfp.talkMinutes', /min/],
    ['  # deadline: 2026-12-15', '  deadline: 2026-13-45', 'cfp.deadline', /real calendar date/],
    ['name: SRE Munich', 'name: ""', 'name', /at least 1/],
  ])('%s -> %s is an error at that line', (from, to, key, message) => {
    const text = REAL.replace(from, to);
    expect(text).not.toBe(REAL);
    const { settings, diagnostics } = parseSettingsText(text);
    expect(settings).toBeUndefined();
    const line = text.split('\n').indexOf(to) + 1;
    expect(diagnostics).toEqual([{ file: 'settings.yml', line, severity: 'error', message: expect.stringMatching(new RegExp(`^\`${key.replace('.', '\\.')}\`: .*${message.source}`)) }]);
  });

  it('a broken file falls back to the last good settings (or defaults) and says so', () => {
    const tmp = tempDataDir();
    try {
      tmp.write('settings.yml', REAL.replace('name: SRE Munich', 'name: [SRE Munich'));
      const first = loadSettings(tmp.dir);
      expect(first.settings).toEqual(DEFAULT_SETTINGS);
      expect(first.fromFile).toBe(false);
      expect(first.diagnostics[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('Default settings are in use') });
      expect(first.diagnostics[0]!.line).toBeGreaterThanOrEqual(2);

      const good = loadSettings(REAL_DATA).settings;
      const kept = loadSettings(tmp.dir, { previous: good });
      expect(kept.settings).toBe(good);
      expect(kept.diagnostics[0]!.message).toContain('The last good settings stay in use');
    } finally {
      tmp.cleanup();
    }
  });

  it('a missing file is a warning and defaults are used; unknown keys are errors with their line', () => {
    const tmp = tempDataDir();
    try {
      expect(loadSettings(tmp.dir)).toMatchObject({ settings: DEFAULT_SETTINGS, fromFile: false, diagnostics: [expect.objectContaining({ severity: 'warning', message: expect.stringContaining('No settings.yml') })] });
    } finally {
      tmp.cleanup();
    }
    const { diagnostics } = parseSettingsText('name: X\ntimezone: Europe/Berlin\n');
    expect(diagnostics).toEqual([{ file: 'settings.yml', line: 2, severity: 'error', message: 'Unknown key `timezone`: did you mean `timeZone`?' }]);
  });
});
