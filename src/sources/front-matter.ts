import matter from 'gray-matter';
import { z } from 'zod';
import { closestKey, parseLocatedYaml, yamlToJs, yamlErrorDiagnostics, zodIssueDiagnostics, issueLine, type Diagnostic, type LocatedYaml } from './diagnostics';
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
  located?: LocatedYaml;
  diagnostics: Diagnostic[];
}

/**
 * Splits a post into front matter and body with gray-matter, parsing the front matter with the `yaml` library
 * so syntax errors and zod issues point at the line in the file.
 */
export function readFrontMatter(text: string, file: string): FrontMatterResult {
  if (!/^---[ \t]*\n/.test(text)) {
    return { body: text, bodyLine: 1, diagnostics: [{ file, line: 1, severity: 'error', message: 'No front matter: start the post with a line "---", then `title: ...` and `date: ...`, then "---".' }] };
  }
  if (!/\n---[ \t]*(?:\n|$)/.test(text.slice(3))) {
    return { body: '', bodyLine: 1, diagnostics: [{ file, line: 1, severity: 'error', message: 'The front matter opened on line 1 is never closed: add a line "---" after the last `key: value` line.' }] };
  }
  let located: LocatedYaml | undefined;
  const parsed = matter(text, {
    engines: {
      yaml: {
        parse: (yamlText: string) => {
          // The front matter text starts right after the opening "---", so its line 1 is the file's line 1.
          located = parseLocatedYaml(yamlText, 0);
          return {};
        },
        stringify: () => '',
      },
    },
  } as unknown as Parameters<typeof matter>[1]);
  const body = parsed.content;
  const bodyLine = text.endsWith(body) ? countLines(text.slice(0, text.length - body.length)) + 1 : 1;
  if (!located) {
    return { body, bodyLine, diagnostics: [{ file, line: 1, severity: 'error', message: 'The front matter is empty: add `title: ...` and `date: ...` between the "---" lines.' }] };
  }
  const yamlErrors = yamlErrorDiagnostics(located, file, 'The front matter');
  if (yamlErrors.length > 0) return { body, bodyLine, located, diagnostics: yamlErrors };
  const js = yamlToJs(located, file, 'The front matter');
  if (js.diagnostics.length > 0) return { body, bodyLine, located, diagnostics: js.diagnostics };
  const raw = js.value;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { body, bodyLine, located, diagnostics: [{ file, line: 2, severity: 'error', message: 'The front matter must be `key: value` lines (title, date, ...).' }] };
  }
  const result = FrontMatterSchema.safeParse(raw);
  if (!result.success) return { body, bodyLine, located, diagnostics: zodIssueDiagnostics(result.error.issues, located, file) };
  return { data: result.data, body, bodyLine, located, diagnostics: misspelledKeys(raw as Record<string, unknown>, located, file) };
}

/** `evenDate:` is silently ignored by Hugo and by us; say so instead. */
function misspelledKeys(raw: Record<string, unknown>, located: LocatedYaml, file: string): Diagnostic[] {
  const result: Diagnostic[] = [];
  for (const key of Object.keys(raw)) {
    if (KNOWN_KEYS.includes(key)) continue;
    const near = closestKey(key, KNOWN_KEYS);
    if (near) result.push({ file, line: issueLine(located, [key]), severity: 'warning', message: `Unknown key \`${key}\` is ignored: did you mean \`${near}\`?` });
  }
  return result;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
