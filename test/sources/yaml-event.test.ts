import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseYamlEvent } from '../../src/sources/yaml-event';
import { makeSettings } from '../helpers/events';

const FILE = 'events/sremuc-2025-04-example.yml';
const EXAMPLE = readFileSync(path.join(__dirname, '..', 'fixtures', 'sources', 'sremuc-2025-04-example.yml'), 'utf8');

const parse = (text: string) => parseYamlEvent(text, { file: FILE, settings: makeSettings() });

/** The example with one top-level key's line replaced, or the line added when the example lacks the key. */
function withLine(key: string, line: string): string {
  const lines = EXAMPLE.split('\n');
  const index = lines.findIndex((l) => l.startsWith(`${key}:`));
  if (index < 0) return `${EXAMPLE.trimEnd()}\n${line}\n`;
  lines[index] = line;
  return lines.join('\n');
}

describe('YAML event files', () => {
  it('the example reads into a full event: wall times in the zone, agenda linked to talks, links made absolute', () => {
    const { event, diagnostics } = parse(EXAMPLE);
    expect(diagnostics).toEqual([]);
    expect(event).toBeDefined();
    const e = event!;
    expect(e.id).toBe('sremuc-2025-04-example');
    expect(e.dateSource).toBe('yaml');
    expect(e.start.toISO()).toBe('2025-04-14T18:00:00.000+02:00');
    expect(e.end.toISO()).toBe('2025-04-14T21:30:00.000+02:00');
    expect([e.venue, e.address, e.status]).toEqual(['Example GmbH', 'Examplestr. 1, 80331 München', 'scheduled']);
    expect(e.agenda.map((a) => `${a.start?.toFormat('HH:mm')} ${a.title} ${a.talkIndex ?? ''}`.trim())).toEqual([
      '18:00 Get together with food and drinks',
      '19:00 Welcome to SREmuc',
      '19:10 Talk 1: Upgrading thousands of stateful applications 0',
      '19:40 Lightning talk: SRE Topologies 1',
      // Not in the written agenda: added at its time.
      '20:00 Tales from On-call 2',
      '20:30 Networking + Drinks',
    ]);
    expect(e.talks[0]).toMatchObject({
      title: 'Upgrading thousands of stateful applications',
      kind: 'talk',
      speakers: [{ name: 'Michael Lex', company: 'ClickHouse', bio: 'Michael Lex is an Engineering Manager at ClickHouse.' }],
      abstract: 'How do you upgrade thousands of similar but independent stateful applications?',
      slides: [{ label: 'Slides', url: 'https://muc.sre.xyz/slides/2025_04/upgrades.pdf' }],
    });
    expect(e.talks[1]).toMatchObject({ kind: 'lightning', speakers: [{ name: 'Ingo Averdunk' }] });
    expect(e.slides).toEqual([{ label: 'Kick-off', url: 'https://muc.sre.xyz/slides/2025_04/kickoff.pdf' }]);
    expect(e.recordings).toEqual([{ label: 'Talk 1', url: 'https://www.youtube.com/watch?v=abc' }]);
    expect(e.url).toBe('https://muc.sre.xyz/posts/sremuc-2025-04-example/');
  });

  it('without agenda and end: the talks in time order are the agenda; the end is an hour after the last', () => {
    const text = 'title: T\nstart: "2025-10-26 18:30"\ntalks:\n  - { title: B, time: "19:30" }\n  - { title: A, time: "19:00" }\n';
    const e = parse(text).event!;
    expect(e.agenda.map((a) => [a.start?.toFormat('HH:mm'), a.title, a.talkIndex])).toEqual([
      ['19:00', 'A', 1],
      ['19:30', 'B', 0],
    ]);
    expect(e.start.toISO()).toBe('2025-10-26T18:30:00.000+01:00');
    expect(e.end.toISO()).toBe('2025-10-26T20:30:00.000+01:00');
  });

  it('cancelled by status or cancelled: true; an end after midnight is the next day', () => {
    expect(parse(withLine('end', 'status: cancelled')).event!.status).toBe('cancelled');
    expect(parse(withLine('end', 'cancelled: true')).event!.status).toBe('cancelled');
    expect(parse(withLine('end', 'end: "01:00"')).event!.end.toISO()).toBe('2025-04-15T01:00:00.000+02:00');
  });

  const invalid: [string, string, RegExp][] = [
    ['title', 'title: ""', /^`title`: is empty/],
    ['start', 'start: "2025-04-14"', /^`start`: needs a date and a time/],
    ['start', 'start: next monday', /^`start`: needs a date and a time/],
    ['end', 'end: late', /^`end`: should be a time/],
    ['online', 'online: not a link', /^`online`: should be the link to the online meeting/],
    ['status', 'status: postponed', /^`status`: "postponed" is not allowed: use one of "scheduled", "cancelled"/],
    ['summary', 'summary: 42', /^`summary`: should be text, not a number/],
    ['cfp', 'cfp: [a, b]', /^`cfp`: should be text, not a list/],
  ];
  it.each(invalid)('invalid %s (%s) is an error at that key\'s line', (key, line, message) => {
    const text = withLine(key, line);
    const result = parse(text);
    expect(result.event).toBeUndefined();
    const expectedLine = text.split('\n').findIndex((l) => l === line) + 1;
    expect(result.diagnostics).toEqual([{ file: FILE, line: expectedLine, severity: 'error', message: expect.stringMatching(message) }]);
  });

  it('invalid nested fields name their path and line: talk kind, agenda time, speaker, slides url', () => {
    const cases: [string, string, string, RegExp][] = [
      ['    kind: lightning', '    kind: keynote', 'talks[1].kind', /"keynote" is not allowed/],
      ['  - { time: "19:00", title: Welcome to SREmuc }', '  - { time: "7 o\'clock", title: Welcome to SREmuc }', 'agenda[1].time', /not a time of day/],
      ['    speakers: [Ingo Averdunk]', '    speakers: [{ company: X }]', 'talks[1].speakers[0]', /./],
      ['      - { label: Slides, url: /slides/2025_04/upgrades.pdf }', '      - { label: Slides }', 'talks[0].slides[0].url', /missing/],
    ];
    for (const [from, to, keyPath, message] of cases) {
      const text = EXAMPLE.replace(from, to);
      const result = parse(text);
      expect(result.event).toBeUndefined();
      const line = text.split('\n').findIndex((l) => l === to) + 1;
      expect(result.diagnostics.length).toBeGreaterThan(0);
      for (const d of result.diagnostics) {
        expect(d).toMatchObject({ severity: 'error', line });
        expect(d.message.startsWith(`\`${keyPath.split('[')[0]}`)).toBe(true);
      }
      expect(result.diagnostics.some((d) => message.test(d.message) && d.message.includes(keyPath.replace(/\.(url|kind|time)$/, '')))).toBe(true);
    }
  });

  it('a YAML syntax error names the line; an end before the start is an error at `end`', () => {
    const broken = parse('title: T\nstart: "2025-04-14 18:00\nend: "21:00"\n');
    expect(broken.event).toBeUndefined();
    expect(broken.diagnostics[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('not valid YAML') });
    expect(broken.diagnostics[0]!.line).toBeGreaterThanOrEqual(2);

    const backwards = parse('title: T\nstart: "2025-04-14 18:00"\nend: "2025-04-14 17:00"\n');
    expect(backwards.diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 3, message: expect.stringContaining('`end` is not after `start`') })]);
  });

  it('unknown keys are warnings with a suggestion; a list instead of a mapping is an error', () => {
    const typo = parse(withLine('venue', 'venu: Example GmbH'));
    expect(typo.event).toBeDefined();
    expect(typo.diagnostics).toEqual([{ file: FILE, line: 5, severity: 'warning', message: 'Unknown key `venu` is ignored: did you mean `venue`?' }]);
    expect(parse('- a\n- b\n').diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 1 })]);
    expect(parse('').diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 1 })]);
  });
});
