import path from 'node:path';
import type { MeetupEvent } from '../../src/catalogue/event';
import { loadData } from '../../src/sources/load';

/**
 * Other communities' real files (/work/shared/events-other, copied bytes) read with nothing but their source
 * profile (test/fixtures/profiles/<community>.yml), for tests that assert the facts of that folder's README.
 */
export const OTHER = process.env.EVENTS_OTHER ?? '/work/shared/events-other';
const PROFILES = path.join(__dirname, '..', 'fixtures', 'profiles');

export function community(name: string): { events: readonly MeetupEvent[]; byFile: (file: string) => MeetupEvent; errors: string[]; warnings: string[] } {
  const result = loadData(OTHER, { settingsFile: path.join(PROFILES, `${name}.yml`), events: { dir: path.join(OTHER, name), prefix: 'events' } });
  const events = result.catalogue.events;
  const byFile = (file: string) => {
    const found = events.find((e) => e.source.file === `events/${file}`);
    if (!found) throw new Error(`no event from ${file}`);
    return found;
  };
  const of = (severity: string) => result.diagnostics.filter((d) => d.severity === severity).map((d) => `${d.file}:${d.line}: ${d.message}`);
  return { events, byFile, errors: of('error'), warnings: of('warning') };
}

export const local = (e: MeetupEvent) => e.start.toFormat("yyyy-MM-dd'T'HH:mm");
export const span = (e: MeetupEvent) => `${local(e)}-${e.end.toFormat('HH:mm')}`;
export const talks = (e: MeetupEvent) => e.talks.map((t) => `${t.title} — ${t.speakers.map((s) => s.name).join(', ')}`);
