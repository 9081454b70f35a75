import { readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Catalogue } from '../../src/catalogue/catalogue';
import type { Diagnostic } from '../../src/sources/diagnostics';
import { createLogger } from '../../src/log';
import { DataSource } from '../../src/sources/watch';
import { REAL_DATA, tempDataDir } from './temp-data';

const CELONIS = readFileSync(path.join(REAL_DATA, 'events', 'sre-munich-summer-event-2024.md'), 'utf8');
const SETTINGS = readFileSync(path.join(REAL_DATA, 'settings.yml'), 'utf8');
const FILE = 'events/sremuc-2024-07.md';

function setup() {
  const tmp = tempDataDir();
  tmp.write('settings.yml', SETTINGS);
  tmp.write(FILE, CELONIS);
  const source = new DataSource(tmp.dir, createLogger('silent'), { debounceMs: 50 });
  const changes: { catalogue: Catalogue; diagnostics: Diagnostic[] }[] = [];
  source.onChange((catalogue, _settings, diagnostics) => changes.push({ catalogue, diagnostics }));
  return { tmp, source, changes };
}

/** Resolves on the next change notification; the watcher decides when, the test only waits. */
function nextChange(source: DataSource): Promise<Catalogue> {
  return new Promise((resolve) => source.onChange((catalogue) => resolve(catalogue)));
}

describe('DataSource', () => {
  it('reload(): write, break, fix and delete a post in a real directory', () => {
    const { tmp, source, changes } = setup();
    try {
      expect(source.current().catalogue.events.map((e) => e.id)).toEqual(['sremuc-2024-07']);
      expect(source.current().settings.hashtag).toBe('#sremuc');

      tmp.write('events/sremuc-2025-04.yml', 'title: Spring 2025\nstart: "2025-04-14 18:30"\n');
      source.reload();
      expect(source.current().catalogue.events.map((e) => e.id)).toEqual(['sremuc-2024-07', 'sremuc-2025-04']);
      expect(changes).toHaveLength(1);

      // A typo in the front matter: the meetup stays, with its last good content, and the problem is reported.
      const good = source.current().catalogue.byId('sremuc-2024-07');
      tmp.write(FILE, CELONIS.replace('title: "SRE Munich at Celonis 2024"', 'title: "SRE Munich at Celonis 2024'));
      source.reload();
      expect(source.current().catalogue.byId('sremuc-2024-07')).toBe(good);
      expect(source.diagnostics().filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({ file: FILE, message: expect.stringContaining('not valid YAML') })]);
      expect(changes).toHaveLength(2);

      // Fixed, with a change: the new content replaces the kept one.
      tmp.write(FILE, CELONIS.replace('July 10th', 'July 11th'));
      source.reload();
      expect(source.current().catalogue.byId('sremuc-2024-07')!.start.toISODate()).toBe('2024-07-11');
      expect(source.diagnostics().filter((d) => d.severity !== 'info')).toEqual([]);

      // Unchanged files: no notification.
      const notified = changes.length;
      source.reload();
      expect(changes).toHaveLength(notified);

      rmSync(path.join(tmp.dir, FILE));
      source.reload();
      expect(source.current().catalogue.events.map((e) => e.id)).toEqual(['sremuc-2025-04']);
      expect(changes.at(-1)!.catalogue.events).toHaveLength(1);
    } finally {
      source.stop();
      tmp.cleanup();
    }
  });

  it('broken settings keep the last good settings', () => {
    const { tmp, source } = setup();
    try {
      tmp.write('settings.yml', SETTINGS.replace('hashtag: "#sremuc"', 'hashtag: [oops'));
      source.reload();
      expect(source.current().settings.hashtag).toBe('#sremuc');
      expect(source.diagnostics()).toContainEqual(expect.objectContaining({ file: 'settings.yml', severity: 'error', message: expect.stringContaining('The last good settings stay in use') }));
    } finally {
      source.stop();
      tmp.cleanup();
    }
  });

  it('start(): edits, new files in new folders and atomic renames are picked up by the watcher', async () => {
    const { tmp, source } = setup();
    try {
      source.start();
      let change = nextChange(source);
      tmp.write(FILE, CELONIS.replace('July 10th', 'July 12th'));
      expect((await change).byId('sremuc-2024-07')!.start.toISODate()).toBe('2024-07-12');

      change = nextChange(source);
      tmp.write('events/2025/sremuc-2025-04.yml', 'title: Spring 2025\nstart: "2025-04-14 18:30"\n');
      expect((await change).byId('sremuc-2025-04')?.title).toBe('Spring 2025');

      // Editors save by writing a temp file and renaming it over the original.
      change = nextChange(source);
      const temp = tmp.write('events/.sremuc-2024-07.md.swp', CELONIS.replace('July 10th', 'July 13th'));
      renameSync(temp, path.join(tmp.dir, FILE));
      expect((await change).byId('sremuc-2024-07')!.start.toISODate()).toBe('2024-07-13');
    } finally {
      source.stop();
      tmp.cleanup();
    }
  });

  it('start(): folders that appear, go and come back are watched as they are at each reload', async () => {
    const tmp = tempDataDir();
    tmp.write('settings.yml', SETTINGS);
    rmSync(path.join(tmp.dir, 'events'), { recursive: true });
    const source = new DataSource(tmp.dir, createLogger('silent'), { debounceMs: 50 });
    const spring = (title: string) => `title: ${title}\nstart: "2025-04-14 18:30"\n`;
    try {
      source.start();
      // events/ does not exist at start: data/'s watcher sees it appear.
      let change = nextChange(source);
      tmp.write(FILE, CELONIS);
      expect((await change).byId('sremuc-2024-07')).toBeDefined();

      change = nextChange(source);
      tmp.write('events/2025/sremuc-2025-04.yml', spring('Spring'));
      expect((await change).byId('sremuc-2025-04')?.title).toBe('Spring');

      change = nextChange(source);
      rmSync(path.join(tmp.dir, 'events', '2025'), { recursive: true });
      expect((await change).byId('sremuc-2025-04')).toBeUndefined();

      change = nextChange(source);
      tmp.write('events/2025/sremuc-2025-04.yml', spring('Spring again'));
      expect((await change).byId('sremuc-2025-04')?.title).toBe('Spring again');

      // An edit inside the folder made again: only its own, new watcher can see this one.
      change = nextChange(source);
      tmp.write('events/2025/sremuc-2025-04.yml', spring('Spring, edited'));
      expect((await change).byId('sremuc-2025-04')?.title).toBe('Spring, edited');
    } finally {
      source.stop();
      tmp.cleanup();
    }
  });

  it('stop(): no reloads after stopping', async () => {
    const { tmp, source, changes } = setup();
    try {
      source.start();
      source.stop();
      tmp.write(FILE, CELONIS.replace('July 10th', 'July 12th'));
      // Give a would-be watcher far longer than its debounce; then a manual reload proves the file did change.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(changes).toHaveLength(0);
      source.reload();
      expect(changes).toHaveLength(1);
    } finally {
      tmp.cleanup();
    }
  });
});
