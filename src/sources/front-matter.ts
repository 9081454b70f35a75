import { z } from 'zod';
import { closestKey, issueLine, parseLocatedYaml, yamlErrorDiagnostics, yamlToJs, zodIssueDiagnostics, type Diagnostic } from './diagnostics';
import { RsvpFieldsSchema } from './rsvp-fields';
import { parseClock, parseWallDateTime } from './time';

const DATE_HINT = 'write it as 2024-07-10, 2024-07-10T18:30 or "2024-07-10 18:30"';
const isDate = (v: string) => parseWallDateTime(v, 'UTC') !== undefined;
const isDateOrTime = (v: string) => isDate(v) || parseClock(v) !== undefined;

const dateField = z.string().refine(isDate, { message: `not a date: ${DATE_HINT}.` });
const timeField = z.string().refine(isDateOrTime, { message: `not a time: write a time of day ("18:30", "6:30 pm") or ${DATE_HINT}.` });

/**
 * The front matter keys the bot reads. Hugo's own keys (tags, images, ...) pass through untouched; explicit
 * meetup fields win over anything read from the prose.
 */
export const FrontMatterSchema = z
  .object({
    title: z.string().trim().min(1, { message: 'is empty: give the post a title.' }),
    /** The post's publication date (Hugo), not necessarily the meetup's. */
    date: dateField.optional(),
    draft: z.boolean().optional(),
    eventDate: dateField.optional(),
    start: timeField.optional(),
    end: timeField.optional(),
    doors: timeField.optional(),
    venue: z.string().trim().min(1).optional(),
    address: z.string().trim().min(1).optional(),
    online: z.string().url({ message: 'should be the link to the online meeting, starting with https://.' }).optional(),
    cancelled: z.boolean().optional(),
    status: z.enum(['scheduled', 'cancelled']).optional(),
    rsvp: RsvpFieldsSchema.optional(),
  })
  .passthrough();

export type FrontMatter = z.infer<typeof FrontMatterSchema>;

const KNOWN_KEYS = Object.keys(FrontMatterSchema.shape);

export interface FrontMatterResult {
  data?: FrontMatter;
  /** The Markdown after the closing `---`. */
  body: string;
  /** File line where the body starts. */
  bodyLine: number;
  /** File line of a top-level front matter key, for diagnostics about its value. */
  keyLine: (key: string) => number | undefined;
  diagnostics: Diagnostic[];
}

const noLines = () => undefined;

/**
 * Splits a post into front matter and body. Front matter made of plain `key: value` lines (every real post) is
 * read directly; anything else, and anything invalid, goes through the `yaml` library so syntax errors and zod
 * issues point at their line in the file.
 */
export function readFrontMatter(text: string, file: string): FrontMatterResult {
  const parts = splitFrontMatter(text);
  if (parts === 'none') {
    return { body: text, bodyLine: 1, keyLine: noLines, diagnostics: [{ file, line: 1, severity: 'error', message: 'No front matter: start the post with a line "---", then `title: ...` and `date: ...`, then "---".' }] };
  }
  if (parts === 'unclosed') {
    return { body: '', bodyLine: 1, keyLine: noLines, diagnostics: [{ file, line: 1, severity: 'error', message: 'The front matter opened on line 1 is never closed: add a line "---" after the last `key: value` line.' }] };
  }
  const { yamlText, body, bodyLine } = parts;
  if (yamlText.replace(/^\s*#.*$/gm, '').trim() === '') {
    return { body, bodyLine, keyLine: noLines, diagnostics: [{ file, line: 1, severity: 'error', message: 'The front matter is empty: add `title: ...` and `date: ...` between the "---" lines.' }] };
  }
  const simple = parseSimpleYaml(yamlText);
  if (simple) {
    const result = FrontMatterSchema.safeParse(simple.data);
    const keyLine = (key: string) => simple.lines.get(key);
    if (result.success) return { data: result.data, body, bodyLine, keyLine, diagnostics: misspelledKeys(simple.data, keyLine, file) };
  }
  return { body, bodyLine, ...readWithYamlLibrary(yamlText, file) };
}

const OPENING_LINE = /^---[ \t]*\n/;
const CLOSING_LINE = /^---[ \t]*(?:\n|$)/m;

/**
 * Hugo's YAML front matter: a first line `---`, `key: value` lines, a line `---`, then the Markdown. (gray-matter
 * did this before: at about 0.14 ms a post, with js-yaml loaded for an engine we replaced, it was a tenth of a
 * 1,000-post cold start for two indexOf calls.)
 */
export function splitFrontMatter(text: string): { yamlText: string; body: string; bodyLine: number } | 'none' | 'unclosed' {
  const opening = OPENING_LINE.exec(text);
  if (!opening) return 'none';
  const rest = text.slice(opening[0].length);
  const closing = CLOSING_LINE.exec(rest);
  if (!closing) return 'unclosed';
  const bodyStart = opening[0].length + closing.index + closing[0].length;
  // From right after the opening "---", so the YAML text's line n is the file's line n.
  const yamlText = text.slice(3, opening[0].length + closing.index);
  return { yamlText, body: text.slice(bodyStart), bodyLine: countLines(text.slice(0, bodyStart)) + 1 };
}

function readWithYamlLibrary(yamlText: string, file: string): Pick<FrontMatterResult, 'data' | 'keyLine' | 'diagnostics'> {
  const located = parseLocatedYaml(yamlText, 0);
  const keyLine = (key: string) => issueLine(located, [key]);
  const yamlErrors = yamlErrorDiagnostics(located, file, 'The front matter');
  if (yamlErrors.length > 0) return { keyLine, diagnostics: yamlErrors };
  const js = yamlToJs(located, file, 'The front matter');
  if (js.diagnostics.length > 0) return { keyLine, diagnostics: js.diagnostics };
  const raw = js.value;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { keyLine, diagnostics: [{ file, line: 2, severity: 'error', message: 'The front matter must be `key: value` lines (title, date, ...).' }] };
  }
  const result = FrontMatterSchema.safeParse(raw);
  if (!result.success) return { keyLine, diagnostics: zodIssueDiagnostics(result.error.issues, located, file) };
  return { data: result.data, keyLine, diagnostics: misspelledKeys(raw as Record<string, unknown>, keyLine, file) };
}

/** `evenDate:` is silently ignored by Hugo and by us; say so instead. */
function misspelledKeys(raw: Record<string, unknown>, keyLine: (key: string) => number | undefined, file: string): Diagnostic[] {
  const result: Diagnostic[] = [];
  for (const key of Object.keys(raw)) {
    if (KNOWN_KEYS.includes(key)) continue;
    const near = closestKey(key, KNOWN_KEYS);
    if (near) result.push({ file, line: keyLine(key), severity: 'warning', message: `Unknown key \`${key}\` is ignored: did you mean \`${near}\`?` });
  }
  return result;
}

const SIMPLE_LINE = /^([A-Za-z_][\w-]*):(?:[ \t]+(.*?))?[ \t]*$/;
const NOT_SIMPLE = Symbol('not simple');

/**
 * Front matter that is only `key: value` lines with plain, "double" or 'single' quoted scalars, read with the
 * YAML 1.2 core schema rules the `yaml` library applies (true/false, null, ints, floats, else text). Anything
 * else (nesting, lists, escapes, anchors, duplicate keys) returns undefined and takes the full YAML path.
 */
export function parseSimpleYaml(text: string): { data: Record<string, unknown>; lines: Map<string, number> } | undefined {
  const data: Record<string, unknown> = {};
  const lines = new Map<string, number>();
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (/^\s*(?:#.*)?$/.test(row)) continue;
    const m = SIMPLE_LINE.exec(row);
    if (!m || lines.has(m[1]!)) return undefined;
    const value = simpleScalar(m[2] ?? '');
    if (value === NOT_SIMPLE) return undefined;
    data[m[1]!] = value;
    lines.set(m[1]!, i + 1);
  }
  return lines.size > 0 ? { data, lines } : undefined;
}

function simpleScalar(raw: string): unknown {
  if (raw === '') return null;
  if (raw.startsWith('"')) return /^"([^"\\]*)"$/.exec(raw)?.[1] ?? NOT_SIMPLE;
  if (raw.startsWith("'")) return /^'([^']*)'$/.exec(raw)?.[1] ?? NOT_SIMPLE;
  if (/^[-?:,[\]{}#&*!|>%@`]/.test(raw) || /:(?:\s|$)|\s#/.test(raw)) return NOT_SIMPLE;
  if (/^(?:true|True|TRUE)$/.test(raw)) return true;
  if (/^(?:false|False|FALSE)$/.test(raw)) return false;
  if (/^(?:null|Null|NULL|~)$/.test(raw)) return null;
  if (/^[+]?[0-9]+$/.test(raw)) return Number(raw);
  if (/^0o[0-7]+$/.test(raw)) return parseInt(raw.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(raw)) return parseInt(raw.slice(2), 16);
  if (/^[+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(raw)) return Number(raw);
  if (/^[+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$/.test(raw)) return NOT_SIMPLE;
  return raw;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
