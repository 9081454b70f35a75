/**
 * Real-shaped event data for benchmarks: n Markdown posts made from the 13 real SRE Munich posts (every agenda,
 * talk and abstract shape they use), each moved to its own date. Dates spread one every 5 days from 2015 on, so
 * 1,000 posts reach well into the future; every 40th is cancelled and every 97th a draft, as in a real archive.
 */
import { berlin, makeEvent } from '../test/helpers/events';
import { ROOT } from '../test/helpers/built';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { MeetupEvent } from '../src/catalogue/event';
import { loadData } from '../src/sources/load';

// The repository's data/, from bench/ and from its compiled copy in dist/bench alike.
const DATA = path.join(ROOT, 'data');
const FIRST_MEETUP = DateTime.fromISO('2015-01-14T18:30', { zone: 'Europe/Berlin' });
const PROSE_DATE = /\bfor (January|February|March|April|May|June|July|August|September|October|November|December) (\d{1,2})(st|nd|rd|th)\b/;

interface Template {
  name: string;
  text: string;
  hasProseDate: boolean;
}

let templates: Template[] | undefined;

function loadTemplates(): Template[] {
  templates ??= readdirSync(path.join(DATA, 'events'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => {
      const text = readFileSync(path.join(DATA, 'events', f), 'utf8');
      return { name: f.replace(/\.md$/, ''), text, hasProseDate: PROSE_DATE.test(text) };
    });
  return templates;
}

/** One post: a real one with its dates, title and status changed. */
function post(template: Template, index: number, first: DateTime): string {
  const meetup = first.plus({ days: index * 5 });
  // Posts announcing "for July 10th" go out a few days before; the others are dated on the meetup day.
  const published = template.hasProseDate ? meetup.minus({ days: 3 + (index % 20) }) : meetup;
  let text = template.text
    .replace(/^date: .*$/m, `date: ${published.set({ hour: 7, minute: 30 }).toISO({ suppressMilliseconds: true })}`)
    .replace(/^title: "(.*?)( \d{4})?"$/m, (_, title: string) => `title: "${index % 40 === 39 ? 'CANCELLED: ' : ''}${title} #${index + 1} ${meetup.year}"`)
    .replace(PROSE_DATE, `for ${meetup.toFormat('LLLL')} ${meetup.day}${ordinal(meetup.day)}`);
  if (index % 97 === 96) text = text.replace('draft: false', 'draft: true');
  return text;
}

function ordinal(day: number): string {
  if (day >= 11 && day <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][day % 10] ?? 'th';
}

/** Writes settings.yml and n posts to dataDir/events/, the first meetup on `first` (default 2015); returns the data dir. */
export function generateEventFiles(dataDir: string, n: number, first: DateTime = FIRST_MEETUP): string {
  const all = loadTemplates();
  mkdirSync(path.join(dataDir, 'events'), { recursive: true });
  copyFileSync(path.join(DATA, 'settings.yml'), path.join(dataDir, 'settings.yml'));
  for (let i = 0; i < n; i++) {
    const template = all[i % all.length]!;
    writeFileSync(path.join(dataDir, 'events', `sremuc-${String(i + 1).padStart(4, '0')}-${template.name}.md`), post(template, i, first));
  }
  return dataDir;
}

/** n real-shaped events as the loader reads them (drafts left out, so slightly fewer than n), sorted by start. */
export function generateEvents(n: number): MeetupEvent[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sremuc-bench-'));
  try {
    return [...loadData(generateEventFiles(dir, n)).catalogue.events];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * n weekly meetups from January 2010 with the Celonis agenda and talks, built in memory: for benchmarks of the
 * commands, where predictable titles ("SRE Munich #12 at Host 12") make the typed queries mean the same each run.
 */
export function weeklyMeetups(n: number): MeetupEvent[] {
  const first = berlin('2010-01-06T18:30');
  return Array.from({ length: n }, (_, i) => {
    const start = first.plus({ weeks: i });
    return makeEvent({
      id: `sremuc-${start.toISODate()}`,
      title: `SRE Munich #${i + 1} at Host ${i % 37}`,
      start,
      end: start.set({ hour: 21, minute: 0 }),
      venue: `Host ${i % 37}`,
    });
  });
}
