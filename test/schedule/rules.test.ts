import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger } from '../../src/log';
import { FALLBACK_RULES } from '../../src/schedule/rules';
import { loadAnnouncementRules, parseAnnouncementRules } from '../../src/schedule/rules-file';
import { loadRules } from '../../src/schedule/rules-reload';
import { parseDuration } from '../../src/schedule/duration';

const DATA_FILE = path.resolve(__dirname, '..', '..', 'data', 'announcements.yml');

const VALID_MESSAGES = `messages:
  event: "{title} {url}"
  cancellation: "Cancelled: {title}"
  updated: "Update: {title}"
`;

function diagnosticsOf(text: string) {
  const { rules, diagnostics } = parseAnnouncementRules(text, 'announcements.yml');
  expect(rules).toBeUndefined();
  return diagnostics.map((d) => `${d.line}: ${d.message}`);
}

describe('data/announcements.yml', () => {
  it('holds the default rules: announce 14 days before (or when published), reminder the day before at 10:00, doors open 1 h before, CfP reminders', () => {
    const { rules, diagnostics } = loadAnnouncementRules(DATA_FILE);
    expect(diagnostics).toEqual([]);
    const byId = Object.fromEntries(rules!.rules.map((r) => [r.id, r]));
    expect(Object.keys(byId)).toEqual(['announce', 'reminder', 'doors-open', 'cfp-week', 'cfp-tomorrow']);

    const announce = byId.announce!;
    expect(announce.timing).toMatchObject({ kind: 'offset', at: { hour: 10, minute: 0 }, orWhenPublished: true });
    expect(announce.timing.kind === 'offset' && announce.timing.offset.toObject()).toEqual({ days: -14 });
    expect(announce.agenda).toBe(true);
    expect(announce.graceMinutes).toBe(3 * 24 * 60);

    expect(byId.reminder!.timing).toMatchObject({ kind: 'offset', at: { hour: 10, minute: 0 }, orWhenPublished: false });
    expect(byId['doors-open']!.timing.kind === 'offset' && byId['doors-open']!.timing.offset.toObject()).toEqual({ hours: -1 });
    expect(byId['doors-open']!.timing).not.toHaveProperty('at', expect.anything());
    expect(byId['cfp-week']).toMatchObject({ of: 'cfp-deadline', agenda: false });
    expect(byId['cfp-tomorrow']!.template).toContain('{deadline}');
    expect(rules!.messages.cancellation).toMatch(/^Cancelled: \{title\} on \{date\}/);
  });
});

describe('parseAnnouncementRules diagnostics', () => {
  it('names the line of a bad "when", "at" and duration', () => {
    const text = `rules:
  - id: reminder
    when: the day before
    at: "25:00"
    template: "x"
  - id: late
    when: 1d before
    grace: soon
    template: "y"
${VALID_MESSAGES}`;
    expect(diagnosticsOf(text)).toEqual([
      '3: rules[0] (reminder) when: when must be "published" or a duration with before/after, e.g. "14d before", "1h before"; got "the day before"',
      '4: rules[0] (reminder) at: at must be a 24-hour local time like "10:00"; got "25:00"',
      '8: rules[1] (late) grace: "soon" is not a duration: write e.g. 14d, 1h, 90m or "2 days"',
    ]);
  });

  it('reports an unknown key and an unknown placeholder at their lines', () => {
    const text = `rules:
  - id: reminder
    when: 1d before
    channel: C123
    template: |-
      Tomorrow: {title} at {place}
${VALID_MESSAGES}`;
    expect(diagnosticsOf(text)).toEqual([expect.stringMatching(/^2: rules\[0\] \(reminder\): Unrecognized key\(s\) in object: 'channel'/)]);

    const placeholder = `rules:
  - id: reminder
    when: 1d before
    template: |-
      Tomorrow: {title} at {place}
${VALID_MESSAGES}`;
    expect(diagnosticsOf(placeholder)).toEqual([
      '4: rules[0] (reminder) template: unknown placeholder {place}; this template may use {title} {date} {time} {venue} {url} {hashtag} {name}',
    ]);
  });

  it('rejects duplicate ids, meetup-only options on CfP rules, and "at" with "published"', () => {
    const text = `rules:
  - id: announce
    when: published
    at: "10:00"
    template: "{title}"
  - id: announce
    of: cfp-deadline
    when: 7d before
    agenda: true
    template: "{title} closes {deadline}"
${VALID_MESSAGES}`;
    expect(diagnosticsOf(text)).toEqual([
      '4: rules[0] (announce) at: "at" needs a "<duration> before/after" when; "published" posts as soon as the meetup is seen',
      '9: rules[1] (announce) agenda: a call-for-talks rule has no meetup agenda to include',
      '10: rules[1] (announce) template: unknown placeholder {title}; this template may use {deadline} {submit} {contact} {hashtag} {name}',
      '6: rules[1] (announce) id: duplicate rule id "announce": each rule needs its own (it is part of every delivery key)',
    ]);
  });

  it('gives the YAML syntax error line, and a missing messages block', () => {
    expect(diagnosticsOf('rules:\n  - id: a\n    id: b\n    when: 1d before\n')).toEqual(['3: Map keys must be unique']);
    expect(diagnosticsOf('rules:\n  - id: a\n    when: [1d before\n')).toEqual([expect.stringMatching(/^4: Flow sequence .* must .* end with a \]/)]);
    expect(diagnosticsOf('rules: []\n')).toEqual(['1: messages: Required']);
  });

  it('parses channels as platform:id and refuses other shapes', () => {
    const ok = parseAnnouncementRules(`rules:\n  - id: a\n    when: 1h before\n    channels: ["slack:C0ONE", "discord:1234"]\n    platforms: [discord]\n    template: x\n${VALID_MESSAGES}`, 'f');
    expect(ok.rules?.rules[0]).toMatchObject({ channels: [{ platform: 'slack', channel: 'C0ONE' }, { platform: 'discord', channel: '1234' }], platforms: ['discord'] });
    expect(diagnosticsOf(`rules:\n  - id: a\n    when: 1h before\n    channels: ["#general"]\n    template: x\n${VALID_MESSAGES}`)).toEqual([
      '4: rules[0] (a) channels.0: channels are written platform:channel-id, e.g. "slack:C0123ABCD"; got "#general"',
    ]);
  });
});

describe('parseDuration', () => {
  it.each([
    ['14d', { days: 14 }],
    ['1 day', { days: 1 }],
    ['2h 30m', { hours: 2, minutes: 30 }],
    ['90 minutes', { minutes: 90 }],
    ['1d2h', { days: 1, hours: 2 }],
  ])('%s', (text, expected) => expect(parseDuration(text)?.toObject()).toEqual(expected));

  it.each(['', 'soon', '14', 'd14', '2 weeks', '1h and 2m'])('refuses %p', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('loadRules (the reloading getter the bot uses)', () => {
  it('without announcements.yml: no automatic posts, said once as a warning, not an error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-rules-'));
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
        done();
      },
    });
    try {
      const rules = loadRules(dir, pino({ level: 'info' }, sink));
      expect(rules()).toBe(FALLBACK_RULES);
      expect(rules().rules).toEqual([]);
      expect(lines).toEqual([expect.objectContaining({ level: 40, msg: 'no announcements.yml in the data folder: no automatic announcements or reminders' })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('re-reads an edited file and keeps the last good rules when an edit breaks it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-rules-'));
    const file = path.join(dir, 'announcements.yml');
    try {
      const rules = loadRules(dir, createLogger('silent'));
      expect(rules()).toBe(FALLBACK_RULES);

      writeFileSync(file, `rules:\n  - id: doors\n    when: 1h before\n    template: "{title}"\n${VALID_MESSAGES}`);
      expect(rules().rules.map((r) => r.id)).toEqual(['doors']);

      writeFileSync(file, `rules:\n  - id: doors\n    when: 1 hour early\n    template: "{title}"\n${VALID_MESSAGES}`);
      expect(rules().rules.map((r) => r.id)).toEqual(['doors']);

      writeFileSync(file, `rules:\n  - id: soon\n    when: 2h before\n    template: "{title}"\n  - id: doors\n    when: 1h before\n    template: "{title}"\n${VALID_MESSAGES}`);
      expect(rules().rules.map((r) => r.id)).toEqual(['soon', 'doors']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
