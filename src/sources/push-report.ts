import type { MeetupEvent } from '../catalogue/event';
import { message, time, type MessageModel, type RichText, type Section } from '../chat/message';
import { section } from '../schedule/report';
import { formatDiagnostic, type Diagnostic } from './diagnostics';
import type { Revision } from './git';

/** What a new revision did to one meetup. */
export interface EventChange {
  kind: 'added' | 'changed' | 'removed';
  event: MeetupEvent;
  /** For `changed`: the fields that differ, in the words organizers use. */
  fields?: string[];
}

/** The fields a member or a calendar sees, by the name the report uses. */
const FIELDS: [string, (e: MeetupEvent) => unknown][] = [
  ['title', (e) => e.title],
  ['date', (e) => [e.start.toISO(), e.end.toISO(), e.dateToBeConfirmed ?? false]],
  ['venue', (e) => [e.venue, e.address, e.online]],
  ['agenda', (e) => e.agenda.map((a) => [a.start?.toISO(), a.title])],
  ['talks', (e) => e.talks],
  ['call for talks', (e) => e.cfp],
  ['summary', (e) => e.summary],
  ['links', (e) => [e.slides, e.recordings, e.url]],
  ['status', (e) => e.status],
];

export function changedFields(before: MeetupEvent, after: MeetupEvent): string[] {
  return FIELDS.filter(([, get]) => JSON.stringify(get(before)) !== JSON.stringify(get(after))).map(([name]) => name);
}

/** Meetups added, changed (with which fields) and removed between two catalogues, by id. */
export function eventChanges(before: readonly MeetupEvent[], after: readonly MeetupEvent[]): EventChange[] {
  const old = new Map(before.map((e) => [e.id, e]));
  const changes: EventChange[] = [];
  for (const event of after) {
    const was = old.get(event.id);
    old.delete(event.id);
    if (!was) changes.push({ kind: 'added', event });
    else if (was !== event) {
      const fields = changedFields(was, event);
      if (fields.length > 0) changes.push({ kind: 'changed', event, fields });
    }
  }
  for (const event of old.values()) changes.push({ kind: 'removed', event });
  return changes;
}

/**
 * The organizers' report on a new revision: what it did to the meetups and every problem in it, each as
 * file:line, with the commit and its author (the clone is shallow, so the revision's own commit is named).
 * undefined when the revision changed neither a meetup nor the problems (e.g. a stylesheet push).
 */
export function pushReport(input: {
  revision: Revision;
  changes: EventChange[];
  /** Upcoming meetups whose post this revision deleted, held until an organizer confirms. */
  held?: readonly MeetupEvent[];
  diagnostics: readonly Diagnostic[];
  diagnosticsBefore: readonly Diagnostic[];
  zone: string;
}): MessageModel | undefined {
  const { revision, changes, diagnostics, zone } = input;
  const held = input.held ?? [];
  const text = (ds: readonly Diagnostic[]) => ds.map(formatDiagnostic).join('\n');
  const problemsChanged = text(diagnostics) !== text(input.diagnosticsBefore);
  if (changes.length === 0 && held.length === 0 && !problemsChanged) return undefined;
  const commit = `${revision.sha.slice(0, 7)} by ${revision.author}`;
  const sections: Section[] = [];
  const lines = (kind: EventChange['kind']) => changes.filter((c) => c.kind === kind).map((c) => eventLine(c, zone));
  for (const [kind, heading] of [['added', 'Added'], ['changed', 'Changed'], ['removed', 'Removed']] as const) {
    const shown = lines(kind);
    if (shown.length > 0) sections.push(section(heading, shown));
  }
  if (held.length > 0) {
    sections.push(section('Removed, kept until you confirm', held.map((event) => [...eventLine({ kind: 'removed', event }, zone), ' (see the confirmation request)'])));
  }
  const problems = diagnostics.filter((d) => d.severity !== 'info');
  if (problems.length > 0) sections.push(section(`Problems at ${commit}`, problems.map((d) => [{ kind: 'code', text: formatDiagnostic(d) }])));
  else if (problemsChanged) sections.push({ heading: 'Problems', body: ['None left.'] });
  return message({
    title: `Website ${revision.sha.slice(0, 7)}: ${summary(changes, held.length)}`,
    intro: [`${revision.author}: “${revision.subject}”`],
    sections,
    footer: ['Fix a problem in the file and line named, then push; until then the last good version of that file stays in service.'],
  });
}

function summary(changes: EventChange[], held: number): string {
  const count = (kind: EventChange['kind']) => changes.filter((c) => c.kind === kind).length;
  const parts = [`${count('added')} added`, `${count('changed')} changed`, `${count('removed')} removed`, `${held} removed pending confirmation`].filter((p) => !p.startsWith('0 '));
  return parts.length > 0 ? `meetups ${parts.join(', ')}` : 'no meetup changed';
}

function eventLine(change: EventChange, zone: string): RichText {
  const e = change.event;
  const when: RichText = e.dateToBeConfirmed ? ['date to be confirmed'] : [time(e.start.setZone(zone), 'full')];
  const fields = change.fields ? ` (${change.fields.join(', ')})` : '';
  return [{ kind: 'bold', text: e.title }, ' — ', ...when, `${fields}, ${e.source.file}`];
}
