import { readFileSync } from 'node:fs';
import { Duration } from 'luxon';
import type { Document } from 'yaml';
import { z } from 'zod';
import type { Platform } from '../chat/adapter';
import { issueLine, lineAt, parseLocatedYaml, type Diagnostic } from '../sources/diagnostics';
import { parseDuration } from './duration';
import { PLACEHOLDERS, type AnnouncementRule, type AnnouncementRules, type RuleAnchor, type RuleTiming } from './rules';

const PLATFORMS = ['slack', 'discord', 'console'] as const;

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
export function parseAnnouncementRules(text: string, file: string): { rules?: AnnouncementRules; diagnostics: Diagnostic[] } {
  // Lines as the event files' diagnostics find them: a key's own line, else its nearest existing parent's.
  const located = parseLocatedYaml(text);
  const { doc } = located;
  const diagnostics: Diagnostic[] = doc.errors.map((e) => ({ file, line: lineAt(located, e.pos[0]), severity: 'error' as const, message: e.message.split('\n')[0]! }));
  if (diagnostics.length > 0) return { diagnostics };

  const parsed = FileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      diagnostics.push({ file, line: issueLine(located, issue.path), severity: 'error', message: `${describePath(doc, issue.path)}${issue.message}` });
    }
    return { diagnostics };
  }

  const problem = (path: Path, message: string) => diagnostics.push({ file, line: issueLine(located, path), severity: 'error', message: `${describePath(doc, path)}${message}` });
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

export function loadAnnouncementRules(path: string, file = 'announcements.yml'): { rules?: AnnouncementRules; diagnostics: Diagnostic[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { diagnostics: [{ file, severity: 'error', message: `cannot read ${file}: ${(error as Error).message}` }] };
  }
  return parseAnnouncementRules(text, file);
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
