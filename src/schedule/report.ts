import { message, time, type MessageModel, type RichText, type Section } from '../chat/message';
import type { OutboxRow } from './outbox';

/** A problem that has no outbox row of its own, e.g. an announcement that could not be edited. */
export interface LooseProblem {
  label: string;
  platform: string;
  channel: string;
  error: string;
}

const LINES_PER_SECTION = 15;

/**
 * One summary for the organizers per tick: what was not sent and why, what was skipped as too late, and what
 * they can do about it. Each row appears in exactly one summary (the outbox remembers it was reported).
 */
export function problemsSummary(rows: OutboxRow[], loose: LooseProblem[], zone: string): MessageModel | undefined {
  const failed = rows.filter((r) => r.status === 'failed');
  const skipped = rows.filter((r) => r.status === 'skipped');
  const sections: Section[] = [];
  if (failed.length > 0) sections.push(section('Not sent', failed.map(failedLine)));
  if (skipped.length > 0) sections.push(section('Skipped: too late to post', skipped.map((r) => skippedLine(r, zone))));
  if (loose.length > 0) sections.push(section('Not updated', loose.map((p) => [`${p.label} → ${p.platform} ${p.channel}: ${p.error}`])));
  if (sections.length === 0) return undefined;
  const count = failed.length + skipped.length + loose.length;
  return message({
    title: `Scheduled posts: ${count} need${count === 1 ? 's' : ''} attention`,
    sections,
    footer: ['Fix the channel or permissions named above, then post by hand with /announce schedule if it still matters.'],
  });
}

function failedLine(row: OutboxRow): RichText {
  return [`${row.payload.label} → ${row.platform} ${row.channel}: ${row.lastError ?? 'failed'}`];
}

function skippedLine(row: OutboxRow, zone: string): RichText {
  return [`${row.payload.label} → ${row.platform} ${row.channel}, due `, time(row.dueAt.setZone(zone), 'full'), `: ${row.lastError ?? 'too late'}`];
}

/** A bulleted section of at most LINES_PER_SECTION lines, saying how many more there are. */
export function section(heading: string, lines: RichText[]): Section {
  const shown = lines.slice(0, LINES_PER_SECTION);
  const body: RichText = shown.flatMap((line, i) => [...(i > 0 ? ['\n'] : []), '• ', ...line]);
  if (lines.length > shown.length) body.push(`\n… and ${lines.length - shown.length} more`);
  return { heading, body };
}
