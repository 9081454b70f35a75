import { closestKey, issueLine, parseLocatedYaml, yamlErrorDiagnostics, yamlToJs, type Diagnostic } from './diagnostics';
import { firstValue, type Profile, type ProfileField } from './profile';
import { RsvpFieldsSchema, type RsvpFields } from './rsvp-fields';
import { parse as parseToml, TomlError } from 'smol-toml';
import { parseTimeOfDay, parseWallDateTime } from './time';
import { writtenDateTime } from './written-date';

const DATE_HINT = 'write it as 2024-07-10, 2024-07-10T18:30 or "2024-07-10 18:30"';
const isDate = (v: string) => parseWallDateTime(v, 'UTC') !== undefined;
const isDateOrTime = (v: string) => isDate(v) || parseTimeOfDay(v) !== undefined;

/**
 * What the reader takes from a post's front matter, found through the community's profile (which keys hold what).
 * Other keys (Hugo's tags, images, ...) pass through untouched; explicit meetup fields win over the prose.
 */
export interface FrontMatter {
  title?: string;
  /** The post's publication date (Hugo's `date`), not necessarily the meetup's. */
  published?: string;
  draft?: boolean;
  eventDate?: string;
  start?: string;
  end?: string;
  doors?: string;
  venue?: string;
  address?: string;
  online?: string;
  /** The online field says online without a link (`online: true`, `type: Webinar`), or says another kind of meetup. */
  meetsOnline?: boolean;
  url?: string;
  cancelled?: boolean;
  status?: 'scheduled' | 'cancelled';
  /** RSVPs in chat (src/sources/rsvp-fields.ts). */
  rsvp?: RsvpFields;
  /** The parsed front matter as written, for data the profile points into (speakers, talks). */
  raw: Record<string, unknown>;
}
type Check = { kind: 'text' | 'date' | 'dateOrTime' | 'url' | 'bool' };
const FIELD_CHECKS: Record<Exclude<ProfileField, 'speakers' | 'talks' | 'agenda'>, Check> = {
  title: { kind: 'text' },
  published: { kind: 'date' },
  eventDate: { kind: 'date' },
  start: { kind: 'dateOrTime' },
  end: { kind: 'dateOrTime' },
  doors: { kind: 'dateOrTime' },
  venue: { kind: 'text' },
  address: { kind: 'text' },
  online: { kind: 'url' },
  url: { kind: 'url' },
  cancelled: { kind: 'bool' },
};

const MESSAGES: Record<Check['kind'], string> = {
  text: 'should be text.',
  date: `not a date: ${DATE_HINT}.`,
  dateOrTime: `not a time: write a time of day ("18:30", "6:30 pm") or ${DATE_HINT}.`,
  url: 'should be the link to the online meeting, starting with https://.',
  bool: 'should be true or false.',
};

export interface FrontMatterResult {
  data?: FrontMatter;
  /** The Markdown after the closing `---` (or `+++`), and the file line where it starts. */
  body: string;
  bodyLine: number;
  /** File line of a top-level front matter key, for diagnostics about its value. */
  keyLine: (key: string) => number | undefined;
  diagnostics: Diagnostic[];
}

const noLines = () => undefined;
/**
 * Splits a post into front matter and body: YAML between `---` lines (Hugo, Jekyll) or TOML between `+++` lines
 * (Hugo, Zola). Syntax errors and zod issues point at their line in the file.
 */
export function readFrontMatter(text: string, file: string, profile: Profile): FrontMatterResult {
  const parts = splitFrontMatter(text);
  if (parts === 'none' && !profile.frontMatterRequired) return { data: { raw: {} }, body: text, bodyLine: 1, keyLine: noLines, diagnostics: [] };
  if (parts === 'none') {
    return { body: text, bodyLine: 1, keyLine: noLines, diagnostics: [{ file, line: 1, severity: 'error', message: 'No front matter: start the post with a line "---", then `title: ...` and `date: ...`, then "---".' }] };
  }
  if (parts === 'unclosed') {
    return { body: '', bodyLine: 1, keyLine: noLines, diagnostics: [{ file, line: 1, severity: 'error', message: 'The front matter opened on line 1 is never closed: add a line "---" after the last `key: value` line.' }] };
  }
  const { frontText, body, bodyLine, format } = parts;
  if (frontText.replace(/^\s*#.*$/gm, '').trim() === '') {
    return { body, bodyLine, keyLine: noLines, diagnostics: [{ file, line: 1, severity: 'error', message: 'The front matter is empty: add `title: ...` and `date: ...` between the "---" lines.' }] };
  }
  const read = format === 'toml' ? readToml(frontText, file) : readYaml(frontText, file);
  if (!read.raw) return { body, bodyLine, keyLine: read.keyLine, diagnostics: read.diagnostics };
  return { body, bodyLine, ...checkFrontMatter(read.raw, read.keyLine, file, profile) };
}

const FENCES = {
  yaml: { opening: /^---[ \t]*\n/, closing: /^---[ \t]*(?:\n|$)/m },
  toml: { opening: /^\+\+\+[ \t]*\n/, closing: /^\+\+\+[ \t]*(?:\n|$)/m },
};

/** The front matter block and the body after it; the front matter text's line n is the file's line n. */
export function splitFrontMatter(text: string): { frontText: string; body: string; bodyLine: number; format: 'yaml' | 'toml' } | 'none' | 'unclosed' {
  const format = text.startsWith('---') ? 'yaml' : text.startsWith('+++') ? 'toml' : undefined;
  if (!format) return 'none';
  const opening = FENCES[format].opening.exec(text);
  if (!opening) return 'none';
  const rest = text.slice(opening[0].length);
  const closing = FENCES[format].closing.exec(rest);
  if (!closing) return 'unclosed';
  const bodyStart = opening[0].length + closing.index + closing[0].length;
  const frontText = text.slice(3, opening[0].length + closing.index);
  return { frontText, body: text.slice(bodyStart), bodyLine: text.slice(0, bodyStart).split('\n').length, format };
}

interface RawFrontMatter {
  raw?: Record<string, unknown>;
  keyLine: (key: string) => number | undefined;
  diagnostics: Diagnostic[];
}

function readYaml(yamlText: string, file: string): RawFrontMatter {
  const located = parseLocatedYaml(yamlText, 0);
  const keyLine = (key: string) => issueLine(located, key.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)));
  const yamlErrors = yamlErrorDiagnostics(located, file, 'The front matter').map((d) => atOpeningQuote(d, yamlText));
  if (yamlErrors.length > 0) return { keyLine, diagnostics: yamlErrors};
  const js = yamlToJs(located, file, 'The front matter');
  if (js.diagnostics.length > 0) return { keyLine, diagnostics: js.diagnostics};
  const raw = js.value;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { keyLine, diagnostics: [{ file, line: 2, severity: 'error', message: 'The front matter must be `key: value` lines (title, date, ...).' }]};
  }
  return { raw: raw as Record<string, unknown>, keyLine, diagnostics: []};
}

/**
 * The yaml library reports a missing closing quote where the text ends; the organizer's mistake is on the line
 * where the quote was opened, so that is the line named.
 */
function atOpeningQuote(d: Diagnostic, yamlText: string): Diagnostic {
  if (!/closing "?quote|Missing closing/i.test(d.message)) return d;
  const rows = yamlText.split('\n');
  for (let i = 0; i < rows.length && i + 1 <= (d.line ?? rows.length); i++) {
    const m = /^\s*[\w-]+:\s*(["'])(.*)$/.exec(rows[i]!);
    if (m && !m[2]!.includes(m[1]!)) return { ...d, line: i + 1, message: `The front matter is not valid YAML: the ${m[1] === '"' ? 'double' : 'single'} quote opened on this line is never closed. Close it at the end of the value.` };
  }
  return d;
}

/** TOML `+++` front matter (Zola, Hugo). Offset date-times are kept as the text written, as YAML keeps them. */
function readToml(tomlText: string, file: string): RawFrontMatter {
  const lines = new Map<string, number>();
  tomlText.split('\n').forEach((row, i) => {
    const m = /^\s*([\w-]+)\s*=/.exec(row);
    if (m && !lines.has(m[1]!)) lines.set(m[1]!, i + 1);
  });
  const keyLine = (key: string) => lines.get(key.split('.')[0]!);
  try {
    return { raw: tomlToText(parseToml(tomlText)) as Record<string, unknown>, keyLine, diagnostics: []};
  } catch (error) {
    const line = error instanceof TomlError ? error.line : undefined;
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return { keyLine, diagnostics: [{ file, line, severity: 'error', message: `The front matter is not valid TOML: ${message}. Check quotes and "=" on this line.` }]};
  }
}

/** TOML dates come back as TomlDate objects, whose toISOString keeps the written offset (or none, for a local date). */
export function tomlToText(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(tomlToText);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tomlToText(v)]));
  return value;
}

/** The profile's fields, each checked where it was written; a wrong value is an error at its key's line. */
function checkFrontMatter(raw: Record<string, unknown>, keyLine: (key: string) => number | undefined, file: string, profile: Profile): Pick<FrontMatterResult, 'data' | 'keyLine' | 'diagnostics'> {
  const data: FrontMatter = { raw };
  const diagnostics: Diagnostic[] = [];
  const fieldLine = new Map<string, number | undefined>();
  for (const [field, check] of Object.entries(FIELD_CHECKS) as [keyof typeof FIELD_CHECKS, Check][]) {
    const found = firstValue(raw, profile.frontMatter[field]);
    if (!found) continue;
    fieldLine.set(field, keyLine(found.path));
    if (field === 'online' && !isLinkLike(found.value)) {
      // `online: true` or a kind of meetup (`type: Webinar`): online or not, the link comes from elsewhere.
      data.meetsOnline = found.value === true || (typeof found.value === 'string' && profile.onlineWords.test(found.value));
      continue;
    }
    const value = coerce(found.value, check, profile.languages);
    if (value === undefined) diagnostics.push({ file, line: keyLine(found.path), severity: 'error', message: `\`${found.path}\`: ${MESSAGES[check.kind]}` });
    else (data as unknown as Record<string, unknown>)[field] = value;
  }
  for (const [key, values] of [['draft', [true, false]], ['status', ['scheduled', 'cancelled']]] as const) {
    if (!(key in raw)) continue;
    if ((values as readonly unknown[]).includes(raw[key])) (data as unknown as Record<string, unknown>)[key] = raw[key];
    else diagnostics.push({ file, line: keyLine(key), severity: 'error', message: `\`${key}\`: should be ${values.map((v) => JSON.stringify(v)).join(' or ')}.` });
  }
  if ('rsvp' in raw) {
    const rsvp = RsvpFieldsSchema.safeParse(raw.rsvp);
    if (rsvp.success) data.rsvp = rsvp.data;
    else diagnostics.push({ file, line: keyLine('rsvp'), severity: 'error', message: `\`rsvp\`: ${rsvp.error.issues[0]?.message ?? 'invalid.'}` });
  }
  if (data.title === undefined && profile.frontMatterRequired) {
    diagnostics.push({ file, line: keyLine(Object.keys(raw)[0] ?? '') ?? 2, severity: 'error', message: `\`${profile.frontMatter.title[0] ?? 'title'}\`: missing: add it (text).` });
  }
  const lineOf = (key: string) => fieldLine.get(key) ?? keyLine(key);
  if (diagnostics.length > 0) return { keyLine: lineOf, diagnostics };
  diagnostics.push(...misspelledKeys(raw, keyLine, file, profile));
  if (data.title !== undefined) {
    const title = strayQuote(data.title);
    if (title !== data.title) diagnostics.push({ file, line: lineOf('title'), severity: 'warning', message: `The title has a stray quote: ${JSON.stringify(data.title)}. Quote the whole title (\`title: "${title}"\`) or remove the quote; it is shown as "${title}".` });
    data.title = title;
  }
  return { data, keyLine: lineOf, diagnostics };
}

/** A value meant as a link (a typo in one is worth an error; `Meetup` or `true` is not a link at all). */
function isLinkLike(value: unknown): boolean {
  return typeof value === 'string' && /:\/\/|^www\.|^[\w-]+\.[a-z]{2,}\//i.test(value.trim());
}

/** A field's value as the reader takes it; a date written in words or day first is read as ISO (written-date.ts). */
function coerce(value: unknown, check: Check, languages: readonly string[]): string | boolean | undefined {
  if (check.kind === 'bool') return typeof value === 'boolean' ? value : undefined;
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
  if (text === undefined || text === '') return undefined;
  if (check.kind === 'date') return isDate(text) ? text : writtenDateTime(text, languages);
  if (check.kind === 'dateOrTime') return isDateOrTime(text) ? text : writtenDateTime(text, languages);
  if (check.kind === 'url') return /^https?:\/\/\S+$/i.test(text) ? text : undefined;
  return text;
}

/** `SRE Munich at Jambit 2024"` (valid YAML, a half-deleted quote) -> `SRE Munich at Jambit 2024`. */
function strayQuote(title: string): string {
  if ((title.split('"').length - 1) % 2 === 0) return title;
  return title.replace(/^\s*"|"\s*$/, '').trim() || title;
}

/** `evenDate:` is silently ignored by Hugo and by us; say so instead. */
function misspelledKeys(raw: Record<string, unknown>, keyLine: (key: string) => number | undefined, file: string, profile: Profile): Diagnostic[] {
  const known = ['draft', 'status', 'rsvp', ...Object.values(profile.frontMatter).flat().map((k) => k.split('.')[0]!)];
  const result: Diagnostic[] = [];
  for (const key of Object.keys(raw)) {
    if (known.includes(key)) continue;
    const near = closestKey(key, known);
    if (near) result.push({ file, line: keyLine(key), severity: 'warning', message: `Unknown key \`${key}\` is ignored: did you mean \`${near}\`?` });
  }
  return result;
}
