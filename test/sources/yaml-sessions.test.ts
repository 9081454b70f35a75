/**
 * `sessions:` in a hand-written YAML event: read into the programme model the importers produce (zones across
 * the DST change, rooms, speakers, links, stable ids), errors at their line, and browsed with /agenda <event>.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadData } from '../../src/sources/load';
import { parseYamlEvent } from '../../src/sources/yaml-event';
import { makeSettings } from '../helpers/events';
import { makeWorld, member, messageOf, plainOf } from '../commands/world';
import { toPlainText } from '../../src/chat/message';

const FILE = 'events/sremuc-unconf-2026.yml';
const EXAMPLE = readFileSync(path.join(__dirname, '..', 'fixtures', 'sources', 'sremuc-unconf-2026.yml'), 'utf8');
const parse = (text: string) => parseYamlEvent(text, { file: FILE, settings: makeSettings() });

describe('YAML sessions', () => {
  it('read into sessions sorted by start and room, in the event zone across the DST change, with start and end from them', () => {
    const { event, diagnostics } = parse(EXAMPLE);
    expect(diagnostics).toEqual([]);
    const e = event!;
    expect(e.timeZone).toBe('Europe/Berlin');
    expect(e.start.toISO()).toBe('2026-10-24T09:00:00.000+02:00');
    // The closing party ends after midnight: the next morning, in winter time.
    expect(e.end.toISO()).toBe('2026-10-26T01:00:00.000+01:00');
    expect(e.sessions!.map((s) => [s.id, s.start.toISO(), s.end.toFormat('HH:mm'), s.room ?? '', s.title])).toEqual([
      ['20261024T0900-main-hall', '2026-10-24T09:00:00.000+02:00', '09:30', 'Main hall', 'Opening'],
      ['20261024T0945-main-hall', '2026-10-24T09:45:00.000+02:00', '10:30', 'Main hall', 'Error budgets in practice'],
      ['chaos-workshop', '2026-10-24T09:45:00.000+02:00', '12:00', 'Workshop room', 'Chaos engineering workshop'],
      ['20261024T1200-all', '2026-10-24T12:00:00.000+02:00', '13:00', '', 'Lunch'],
      ['20261025T1000-main-hall', '2026-10-25T10:00:00.000+01:00', '10:45', 'Main hall', 'On-call without burnout'],
      ['20261025T2200-rooftop', '2026-10-25T22:00:00.000+01:00', '01:00', 'Rooftop', 'Closing party'],
    ]);
    const opening = e.sessions![0]!;
    expect(opening).toMatchObject({ track: 'Plenary', speakers: [{ name: 'Ada Lovelace', company: 'Example GmbH' }], abstract: 'Why we are here, and what the two days hold.' });
    expect(opening.links).toEqual([{ label: 'Slides', url: 'https://muc.sre.xyz/slides/2026_10/opening.pdf' }]);
    expect(e.sessions![2]).toMatchObject({ kind: 'workshop', speakers: [{ name: 'Linus Pusher' }] });
  });

  it('a retitled session keeps its id (its slot), so its feed UID stays', () => {
    const retitled = parse(EXAMPLE.replace('Error budgets in practice', 'Error budgets, in practice')).event!;
    expect(retitled.sessions![1]).toMatchObject({ id: '20261024T0945-main-hall', title: 'Error budgets, in practice' });
  });

  it('problems are errors at their line: an end before its start, an unknown key, a repeated id, a bad zone', () => {
    const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const backwards = EXAMPLE.replace('    end: "10:30"', '    end: "09:00"');
    expect(parse(backwards)).toEqual({ diagnostics: [expect.objectContaining({ severity: 'error', line: lineOf(backwards, 'end: "09:00"'), message: expect.stringContaining('`sessions[1].end` is not after its start') })] });
    const typo = EXAMPLE.replace('    room: Rooftop', '    rom: Rooftop');
    const typoResult = parse(typo);
    expect(typoResult.event).toBeUndefined();
    expect(typoResult.diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: lineOf(typo, 'rom: Rooftop'), message: expect.stringContaining('sessions[5]') })]);
    const repeated = EXAMPLE.replace('    id: chaos-workshop', '    id: 20261024T0945-main-hall');
    expect(parse(repeated).diagnostics).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('is used by another session') })]);
    const zone = EXAMPLE.replace('timeZone: Europe/Berlin', 'timeZone: CEST');
    expect(parse(zone).diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 3, message: expect.stringMatching(/^`timeZone`: is not a time zone/) })]);
    expect(parse('title: T\nvenue: X\n').diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 1, message: expect.stringContaining('`start` is missing') })]);
  });

  it('loaded from data/events and browsed with /agenda <event> day, now and words, like an imported schedule', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-yaml-sessions-'));
    try {
      mkdirSync(path.join(dir, 'events'));
      writeFileSync(path.join(dir, 'events', 'sremuc-unconf-2026.yml'), EXAMPLE);
      writeFileSync(path.join(dir, 'settings.yml'), 'name: SRE Munich\nhashtag: "#sremuc"\ncontact: muc@sre.xyz\ntimeZone: Europe/Berlin\nwebsite: https://muc.sre.xyz\n');
      const { catalogue, diagnostics } = loadData(dir, { timeZone: 'Europe/Berlin' });
      expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      const world = makeWorld({ events: [...catalogue.events], now: '2026-10-24T09:50' });
      const overview = messageOf(await world.dispatcher.runText('agenda', 'unconference', member));
      expect(overview.title).toBe('SRE Munich Unconference 2026');
      expect(toPlainText(overview)).toContain('6 sessions over 2 days in 3 rooms');
      const sunday = plainOf(await world.dispatcher.runText('agenda', 'unconference day 2', member));
      expect(sunday).toContain('On-call without burnout');
      expect(sunday).not.toContain('Opening');
      const now = plainOf(await world.dispatcher.runText('agenda', 'unconference now', member));
      expect(now).toContain('Error budgets in practice');
      expect(now).toContain('Chaos engineering workshop');
      expect(plainOf(await world.dispatcher.runText('agenda', 'unconference hamilton', member))).toContain('On-call without burnout');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
