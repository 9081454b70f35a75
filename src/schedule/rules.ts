import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Duration } from 'luxon';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import type { Platform } from '../chat/adapter';
import type { Logger } from '../log';

/** Same shape as the event sources' diagnostics (file relative to the data dir, 1-based line). */
export interface RuleDiagnostic {
  file: string;
  line?: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

/** What a rule's time is measured from: the meetup's start, or the day the call for talks closes. */
export type RuleAnchor = 'meetup' | 'cfp-deadline';

export type RuleTiming =
  /** As soon as the bot first sees the meetup in the data. */
  | { kind: 'published' }
  /** `offset` from the anchor (negative = before), then moved to `at` local time when given. */
  | { kind: 'offset'; offset: Duration; at?: { hour: number; minute: number }; orWhenPublished: boolean };

export interface DestinationFilter {
  platforms?: Platform[];
  /** Explicit destinations ("slack:C0ANNOUNCE"); when absent, every configured announce channel. */
  channels?: { platform: Platform; channel: string }[];
}

export interface AnnouncementRule extends DestinationFilter {
  id: string;
  of: RuleAnchor;
  timing: RuleTiming;
  /** Message text with placeholders, see PLACEHOLDERS. */
  template: string;
  /** Append the meetup's agenda (times, talks, speakers) below the text. */
  agenda: boolean;
  /** Overrides the scheduler's catch-up grace window for this rule. */
  graceMinutes?: number;
}

export interface AnnouncementTemplates {
  /** `/announce schedule <when> <event id>`: an organizer's ad-hoc post about one meetup. */
  event: string;
  /** Posted where a meetup was announced when it is cancelled. */
  cancellation: string;
  /** With ANNOUNCE_CHANGES=update: posted when an announced meetup's agenda changes. */
  updated: string;
}

export interface AnnouncementRules {
  rules: AnnouncementRule[];
  messages: AnnouncementTemplates;
}

/** Placeholders each kind of template may use; anything else in braces is a diagnostic, not a silent "{typo}". */
export const PLACEHOLDERS: Record<RuleAnchor, readonly string[]> = {
  meetup: ['title', 'date', 'time', 'venue', 'url', 'hashtag', 'name'],
  'cfp-deadline': ['deadline', 'submit', 'contact', 'hashtag', 'name'],
};

const PLATFORMS = ['slack', 'discord', 'console'] as const;
const UNITS: Record<string, 'days' | 'hours' | 'minutes'> = {
  d: 'days', day: 'days', days: 'days',
  h: 'hours', hour: 'hours', hours: 'hours',
  m: 'minutes', min: 'minutes', minute: 'minutes', minutes: 'minutes',
};

/**
 * "14d", "1 day", "2h 30m": a duration in whole days, hours and minutes. Days stay calendar days, so "1d before"
 * a 18:30 meetup is 18:30 the day before even across a DST switch.
 */
export function parseDuration(text: string): Duration | undefined {
  const parts = text.trim().toLowerCase().match(/\d+\s*[a-z]+/g);
  if (!parts || parts.join('').replace(/\s/g, '') !== text.trim().toLowerCase().replace(/\s/g, '')) return undefined;
  const values: Record<string, number> = {};
  for (const part of parts) {
    const [, amount, unit] = /^(\d+)\s*([a-z]+)$/.exec(part)!;
    const key = UNITS[unit!];
    if (!key) return undefined;
    values[key] = (values[key] ?? 0) + Number(amount);
  }
  return Duration.fromObject(values);
}

const durationText = z.string().transform((text, ctx) => {
  const duration = parseDuration(text);
  if (!duration) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${text}" is not a duration: write e.g. 14d, 1h, 90m or "2 days"` });
  return duration ?? Duration.fromMillis(0);
});

const whenText = z.string().transform((text, ctx) => {
  const t = text.trim().toLowerCase();
  if (t === 'published') return { kind: 'published' as const };
  const match = /^(.+?)\s+(before|after)$/.exec(t);
  const duration = match ? parseDuration(match[1]!) : undefined;
  if (!match || !duration) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `when must be "published" or a duration with before/after, e.g. "14d before", "1h before"; got "${text}"` });
    return { kind: 'published' as const };
  }
  return { kind: 'offset' as const, offset: match[2] === 'before' ? duration.negate() : duration };
});

const timeOfDay = z.string().transform((text, ctx) => {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `at must be a 24-hour local time like "10:00"; got "${text}"` });
  return { hour: Number(match?.[1] ?? 0), minute: Number(match?.[2] ?? 0) };
});

const channelRef = z.string().transform((text, ctx) => {
  const match = /^(slack|discord|console):(\S+)$/.exec(text.trim());
  if (!match) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `channels are written platform:channel-id, e.g. "slack:C0123ABCD"; got "${text}"` });
  return { platform: (match?.[1] ?? 'console') as Platform, channel: match?.[2] ?? '' };
});

const RuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'id must be lowercase letters, digits and dashes, e.g. "reminder"'),
    of: z.enum(['meetup', 'cfp-deadline']).default('meetup'),
    when: whenText,
    at: timeOfDay.optional(),
    orWhenPublished: z.boolean().default(false),
    agenda: z.boolean().default(false),
    template: z.string().trim().min(1, 'template must not be empty'),
    platforms: z.array(z.enum(PLATFORMS)).min(1).optional(),
    channels: z.array(channelRef).min(1).optional(),
    grace: durationText.optional(),
  })
  .strict();

const FileSchema = z
  .object({
    rules: z.array(RuleSchema),
    messages: z
      .object({
        event: z.string().trim().min(1),
        cancellation: z.string().trim().min(1),
        updated: z.string().trim().min(1),
      })
      .strict(),
  })
  .strict();

type RawRule = z.infer<typeof RuleSchema>;
type Path = (string | number)[];

/**
 * Reads data/announcements.yml. Never throws for what is in the file: every problem comes back as a diagnostic
 * naming the line, and `rules` is only set when the whole file is valid (the caller keeps the last good rules).
 */
export function parseAnnouncementRules(text: string, file: string): { rules?: AnnouncementRules; diagnostics: RuleDiagnostic[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  const diagnostics: RuleDiagnostic[] = doc.errors.map((e) => ({ file, line: lineOf(e.pos[0]), severity: 'error' as const, message: e.message.split('\n')[0]! }));
  if (diagnostics.length > 0) return { diagnostics };

  const parsed = FileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      diagnostics.push({ file, line: lineAt(doc, issue.path, lineOf), severity: 'error', message: `${describePath(doc, issue.path)}${issue.message}` });
    }
    return { diagnostics };
  }

  const problem = (path: Path, message: string) => diagnostics.push({ file, line: lineAt(doc, path, lineOf), severity: 'error', message: `${describePath(doc, path)}${message}` });
  const rules = parsed.data.rules.map((raw, i) => toRule(raw, ['rules', i], problem));
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    if (seen.has(rule.id)) problem(['rules', i, 'id'], `duplicate rule id "${rule.id}": each rule needs its own (it is part of every delivery key)`);
    seen.add(rule.id);
  });
  const { messages } = parsed.data;
  for (const [key, template] of Object.entries(messages)) checkPlaceholders(template, 'meetup', ['messages', key], problem);
  return diagnostics.length > 0 ? { diagnostics } : { rules: { rules, messages }, diagnostics };
}

export function loadAnnouncementRules(path: string, file = 'announcements.yml'): { rules?: AnnouncementRules; diagnostics: RuleDiagnostic[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { diagnostics: [{ file, severity: 'error', message: `cannot read ${file}: ${(error as Error).message}` }] };
  }
  return parseAnnouncementRules(text, file);
}

export const RULES_FILE = 'announcements.yml';

/**
 * Used until announcements.yml has been read successfully once: no automatic posts (a broken file must not
 * post surprises), but cancellations and updates of what was already announced still have words.
 */
export const FALLBACK_RULES: AnnouncementRules = {
  rules: [],
  messages: {
    event: '{title}, {date} at {venue}. Details: {url} {hashtag}',
    cancellation: 'Cancelled: {title} on {date} will not take place. {hashtag}',
    updated: 'Update: the agenda of {title} ({date}) has changed. Here is the current one:',
  },
};

/**
 * The rules in <dataDir>/announcements.yml as a getter for the Scheduler and /announce: it re-reads the file
 * when it changes (so organizers edit rules without a restart) and keeps the last good rules when an edit
 * breaks it, logging each diagnostic with its line once.
 */
export function loadRules(dataDir: string, log: Logger): () => AnnouncementRules {
  const file = path.join(dataDir, RULES_FILE);
  let current = FALLBACK_RULES;
  let seenVersion: string | undefined;
  const refresh = () => {
    const version = fileVersion(file);
    if (version === seenVersion) return;
    seenVersion = version;
    if (version === 'missing') {
      // A community without the file has chosen no automatic posts; that is a setting, not an error.
      current = FALLBACK_RULES;
      log.warn({ file: RULES_FILE }, `no ${RULES_FILE} in the data folder: no automatic announcements or reminders`);
      return;
    }
    const { rules, diagnostics } = loadAnnouncementRules(file, RULES_FILE);
    for (const d of diagnostics) log[d.severity === 'error' ? 'error' : 'warn']({ file: d.file, line: d.line }, `${d.file}:${d.line ?? '-'}: ${d.message}`);
    if (rules) {
      current = rules;
      log.info({ file: RULES_FILE, rules: rules.rules.map((r) => r.id) }, 'announcement rules loaded');
    } else {
      log.error({ file: RULES_FILE }, 'announcement rules not loaded; keeping the previous ones');
    }
  };
  refresh();
  return () => {
    refresh();
    return current;
  };
}

function fileVersion(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'missing';
  }
}

function toRule(raw: RawRule, path: Path, problem: (path: Path, message: string) => void): AnnouncementRule {
  if (raw.when.kind === 'published') {
    if (raw.at) problem([...path, 'at'], '"at" needs a "<duration> before/after" when; "published" posts as soon as the meetup is seen');
    if (raw.orWhenPublished) problem([...path, 'orWhenPublished'], 'orWhenPublished only applies to "<duration> before" rules');
    if (raw.of === 'cfp-deadline') problem([...path, 'when'], 'a call-for-talks rule needs "<duration> before", e.g. "7d before"');
  }
  if (raw.of === 'cfp-deadline' && raw.agenda) problem([...path, 'agenda'], 'a call-for-talks rule has no meetup agenda to include');
  if (raw.of === 'cfp-deadline' && raw.orWhenPublished) problem([...path, 'orWhenPublished'], 'orWhenPublished is for meetup rules');
  checkPlaceholders(raw.template, raw.of, [...path, 'template'], problem);
  const timing: RuleTiming = raw.when.kind === 'published' ? raw.when : { ...raw.when, at: raw.at, orWhenPublished: raw.orWhenPublished };
  return {
    id: raw.id,
    of: raw.of,
    timing,
    template: raw.template,
    agenda: raw.agenda,
    platforms: raw.platforms,
    channels: raw.channels,
    graceMinutes: raw.grace?.as('minutes'),
  };
}

function checkPlaceholders(template: string, of: RuleAnchor, path: Path, problem: (path: Path, message: string) => void): void {
  const allowed = PLACEHOLDERS[of];
  for (const [, name] of template.matchAll(/\{([^{}]*)\}/g)) {
    if (!allowed.includes(name!)) problem(path, `unknown placeholder {${name}}; this template may use ${allowed.map((p) => `{${p}}`).join(' ')}`);
  }
}

/** The line of the deepest node on the path that exists (an unknown key points at its own line). */
function lineAt(doc: Document, path: Path, lineOf: (offset: number | undefined) => number | undefined): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const sub = path.slice(0, depth);
    const node = sub.length === 0 ? doc.contents : doc.getIn(sub, true);
    const parent = sub.length > 0 ? doc.getIn(sub.slice(0, -1), true) : undefined;
    // Point at the key, not the value, when the value sits on a later line (block scalars).
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === sub[sub.length - 1]);
      if (pair && isScalar(pair.key) && pair.key.range) return lineOf(pair.key.range[0]);
    }
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return lineOf(range[0]);
  }
  return undefined;
}

/** "rules[1] (reminder) at: " so a message names the rule even without a line number. */
function describePath(doc: Document, path: Path): string {
  if (path.length === 0) return '';
  const [top, index, ...rest] = path;
  if (top === 'rules' && typeof index === 'number') {
    const id = doc.getIn(['rules', index, 'id']);
    const name = typeof id === 'string' ? ` (${id})` : '';
    return `rules[${index}]${name}${rest.length ? ' ' + rest.join('.') : ''}: `;
  }
  return `${path.join('.')}: `;
}
