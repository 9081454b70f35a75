import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadData } from '../../src/sources/load';
import { ParseCache } from '../../src/sources/parse-cache';
import { REAL_DATA, tempDataDir } from './temp-data';

const CELONIS = readFileSync(path.join(REAL_DATA, 'events', 'sre-munich-summer-event-2024.md'), 'utf8');

describe('loadData', () => {
  it('loads the real data dir: 13 events sorted by start, every file mapped, warnings only for posts without a meetup date', () => {
    const result = loadData(REAL_DATA);
    expect(result.catalogue.events).toHaveLength(13);
    expect(result.files.size).toBe(13);
    const warnings = result.diagnostics.filter((d) => d.severity !== 'info');
    expect(warnings.map((d) => d.file)).toEqual(result.catalogue.events.filter((e) => e.dateToBeConfirmed).map((e) => e.source.file).sort());
    expect(warnings.every((d) => d.severity === 'warning' && d.message.includes('eventDate'))).toBe(true);
    expect(result.catalogue.events.map((e) => e.start.toISODate())).toEqual([
      '2018-05-03', '2018-12-06', '2019-06-27', '2020-02-05', '2020-04-23', '2020-09-24', '2022-10-13',
      '2023-02-13', '2023-06-13', '2023-09-26', '2024-02-07', '2024-07-10', '2024-09-24',
    ]);
    expect(result.files.get('events/sre-munich-summer-event-2024.md')?.title).toBe('SRE Munich at Celonis 2024');
    expect(result.settings.name).toBe('SRE Munich');
    expect(result.catalogue.find('celonis', result.catalogue.events[0]!.start).event?.id).toBe('sre-munich-summer-event-2024');
  });

  it('reads .md, .yml and .yaml recursively, skipping README.md, _index.md and dot files', () => {
    const tmp = tempDataDir();
    try {
      tmp.write('events/2024/sremuc-2024-07.md', CELONIS);
      tmp.write('events/sremuc-2025-04.yml', 'title: A\nstart: "2025-04-14 18:30"\n');
      tmp.write('events/sremuc-2025-09.yaml', 'title: B\nstart: "2025-09-24 18:30"\n');
      tmp.write('events/README.md', '# How to write event files\n');
      tmp.write('events/_index.md', '---\ntitle: Events\n---\n');
      tmp.write('events/.draft.md', 'junk');
      tmp.write('events/notes.txt', 'not an event');
      const result = loadData(tmp.dir);
      expect([...result.files.keys()]).toEqual(['events/2024/sremuc-2024-07.md', 'events/sremuc-2025-04.yml', 'events/sremuc-2025-09.yaml']);
      expect(result.catalogue.events.map((e) => e.id)).toEqual(['sremuc-2024-07', 'sremuc-2025-04', 'sremuc-2025-09']);
      expect(result.diagnostics.filter((d) => d.file !== 'settings.yml')).toEqual([]);
    } finally {
      tmp.cleanup();
    }
  });

  it('a README.md one folder down is a page per city or meetup, named by its folder; the date in a "Next meetup" heading, the place on a "Location:" line', () => {
    const tmp = tempDataDir();
    try {
      tmp.write('events/README.md', '# How to write event files\n');
      tmp.write('events/berlin/README.md', ['# Kubernetes Meetup Berlin', '', '## Next meetup: Tuesday, March 12th, 2024 at 7pm', '', 'Location: Example GmbH, Hauptstraße 1, 10115 Berlin', '', '### Agenda', '', '- 7:00pm Doors open', '- 7:30pm Running Postgres on Kubernetes', '  - Speaker: Jane Doe (ACME)', '- 9:00pm Networking'].join('\n'));
      tmp.write('events/hamburg/README.md', '# Kubernetes Meetup Hamburg\n\nNächstes Treffen: Donnerstag, 14. März 2024, 18:30 Uhr.\n\n**Ort:** Beispiel AG, Elbchaussee 5, Hamburg\n');
      tmp.write('settings.yml', 'name: K8s\nhashtag: "#k8s"\ncontact: a@example.org\ntimeZone: Europe/Berlin\nsource:\n  languages: [en, de]\n  frontMatterRequired: false\n');
      const result = loadData(tmp.dir);
      expect([...result.files.keys()]).toEqual(['events/berlin/README.md', 'events/hamburg/README.md']);
      expect(result.catalogue.events.map((e) => [e.id, e.start.toISO(), e.venue, e.address])).toEqual([
        ['berlin', '2024-03-12T19:00:00.000+01:00', 'Example GmbH', 'Hauptstraße 1, 10115 Berlin'],
        ['hamburg', '2024-03-14T18:30:00.000+01:00', 'Beispiel AG', 'Elbchaussee 5, Hamburg'],
      ]);
      expect(result.catalogue.events[0]!.talks.map((t) => [t.title, t.speakers])).toEqual([['Running Postgres on Kubernetes', [{ name: 'Jane Doe', company: 'ACME' }]]]);
    } finally {
      tmp.cleanup();
    }
  });

  it('a YAML file that lists meetups is a data file without any profile; venues and speakers may be maps', () => {
    const tmp = tempDataDir();
    try {
      const list = ['# Jekyll _data/events.yml', '- title: "Meetup #12"', '  date: 2025-03-12', '  time: "18:30"', '  location:', '    name: Acme GmbH', '    address: Hauptstraße 1, 80331 München', '  talks:', '    - title: Rust', '      speakers:', '        - name: Karl Klein', '          company: Rusty AG', '        - Petra Groß'];
      tmp.write('events/events.yml', list.join('\n'));
      tmp.write('events/listed.yaml', 'events:\n  - title: Meetup 13\n    date: "2025-04-09 19:00"\n    venue: Foo AG\n  - title: Meetup 15\n    date: "June 4, 2025"\n  - title: Meetup 16\n    date: "02.07.2025 19:30"\n');
      tmp.write('events/own.yml', 'title: Our own format\nstart: 2025-05-14T18:30\n');
      tmp.write('settings.yml', 'name: K8s\nhashtag: "#k8s"\ncontact: a@example.org\ntimeZone: Europe/Berlin\n');
      const result = loadData(tmp.dir);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.catalogue.events.map((e) => [e.title, e.start.toISO(), e.venue, e.address])).toEqual([
        ['Meetup #12', '2025-03-12T18:30:00.000+01:00', 'Acme GmbH', 'Hauptstraße 1, 80331 München'],
        ['Meetup 13', '2025-04-09T19:00:00.000+02:00', 'Foo AG', undefined],
        ['Our own format', '2025-05-14T18:30:00.000+02:00', undefined, undefined],
        // Dates as people write them: in words, day first.
        ['Meetup 15', '2025-06-04T18:30:00.000+02:00', undefined, undefined],
        ['Meetup 16', '2025-07-02T19:30:00.000+02:00', undefined, undefined],
      ]);
      expect(result.catalogue.events[0]!.talks.map((t) => [t.title, t.speakers])).toEqual([['Rust', [{ name: 'Karl Klein', company: 'Rusty AG' }, { name: 'Petra Groß' }]]]);
    } finally {
      tmp.cleanup();
    }
  });

  it('a duplicate id is an error on the second file, which is left out', () => {
    const tmp = tempDataDir();
    try {
      tmp.write('events/2024/sremuc-2024-07.md', CELONIS);
      tmp.write('events/sremuc-2024-07.yml', 'title: A\nstart: "2024-07-10 18:30"\n');
      const result = loadData(tmp.dir);
      expect(result.catalogue.events).toHaveLength(1);
      expect(result.catalogue.events[0]!.source.file).toBe('events/2024/sremuc-2024-07.md');
      expect(result.files.get('events/sremuc-2024-07.yml')).toBeUndefined();
      expect(result.diagnostics).toContainEqual({
        file: 'events/sremuc-2024-07.yml',
        severity: 'error',
        message: 'Event id "sremuc-2024-07" is already used by events/2024/sremuc-2024-07.md: rename one of the files (the id is the file name without extension).',
      });
    } finally {
      tmp.cleanup();
    }
  });

  it('a broken file is skipped with an error; with a previous result its last good event stays in service', () => {
    const tmp = tempDataDir({ copyReal: true });
    try {
      const first = loadData(tmp.dir);
      const file = 'events/sre-munich-summer-event-2024.md';
      tmp.write(file, CELONIS.replace('title: "SRE Munich at Celonis 2024"', 'title: "SRE Munich at Celonis 2024'));
      const alone = loadData(tmp.dir);
      expect(alone.catalogue.events).toHaveLength(12);
      expect(alone.files.get(file)).toBeUndefined();
      expect(alone.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file)).toEqual([file]);

      const kept = loadData(tmp.dir, { previous: first });
      expect(kept.catalogue.events).toHaveLength(13);
      expect(kept.files.get(file)).toBe(first.files.get(file));
      expect(kept.diagnostics).toContainEqual(expect.objectContaining({ file, severity: 'warning', message: expect.stringContaining('Keeping the last good version of "SRE Munich at Celonis 2024" (2024-07-10)') }));
    } finally {
      tmp.cleanup();
    }
  });

  it('a draft is not kept from the previous result: publishing and unpublishing is deliberate', () => {
    const tmp = tempDataDir();
    try {
      tmp.write('events/sremuc-2024-07.md', CELONIS);
      const first = loadData(tmp.dir);
      tmp.write('events/sremuc-2024-07.md', CELONIS.replace('draft: false', 'draft: true'));
      const drafted = loadData(tmp.dir, { previous: first });
      expect(drafted.catalogue.events).toHaveLength(0);
      expect(drafted.files.has('events/sremuc-2024-07.md')).toBe(true);
    } finally {
      tmp.cleanup();
    }
  });

  it('the time zone override applies to every event', () => {
    const result = loadData(REAL_DATA, { timeZone: 'America/New_York' });
    expect(result.settings.timeZone).toBe('America/New_York');
    expect(result.catalogue.byId('sre-munich-summer-event-2024')!.start.toISO()).toBe('2024-07-10T18:30:00.000-04:00');
  });

  it('a missing events/ folder is a warning; a missing data dir is an error; neither throws', () => {
    const tmp = tempDataDir();
    try {
      tmp.cleanup();
      tmp.write('settings.yml', readFileSync(path.join(REAL_DATA, 'settings.yml'), 'utf8'));
      expect(loadData(tmp.dir).diagnostics).toEqual([expect.objectContaining({ file: 'events', severity: 'warning' })]);
    } finally {
      tmp.cleanup();
    }
    const missing = loadData(path.join(REAL_DATA, 'does-not-exist'));
    expect(missing.catalogue.events).toEqual([]);
    expect(missing.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringContaining('cannot be read (ENOENT)') }));
  });

  it('the parse cache returns the same event objects for unchanged files and drops deleted ones', () => {
    const tmp = tempDataDir();
    try {
      const cache = new ParseCache();
      tmp.write('events/a.md', CELONIS);
      tmp.write('events/b.md', CELONIS);
      const first = loadData(tmp.dir, { cache });
      tmp.write('events/b.md', CELONIS.replace('July 10th', 'July 11th'));
      const second = loadData(tmp.dir, { cache });
      expect(second.files.get('events/a.md')).toBe(first.files.get('events/a.md'));
      expect(second.files.get('events/b.md')!.start.toISODate()).toBe('2024-07-11');
      require('node:fs').rmSync(path.join(tmp.dir, 'events', 'a.md'));
      loadData(tmp.dir, { cache });
      expect(cache.files()).toEqual(['events/b.md']);
    } finally {
      tmp.cleanup();
    }
  });
});
