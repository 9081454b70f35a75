/**
 * `data/sources.yml`: calendars and conference schedules the bot imports beside the community's own posts.
 * The file is optional; each entry is one source, fetched on its own interval with conditional requests.
 *
 *   sources:
 *     - name: sremuc-meetup-com          # required: letters, digits, dashes; prefixes the ids of its events
 *       kind: ics                        # ics (Meetup.com, Luma, Google Calendar), sched, pretalx, frab, sessionize
 *       url: https://www.meetup.com/sre-munich/events/ical/
 *       refresh: 1h                      # how often to fetch: 15m, 1h, 1d (default 1h, at least 5m)
 *       announce: false                  # default false: imported events are never announced or reminded
 *       timeZone: Europe/Berlin          # for floating times; default the calendar's own, else the community's
 *     - name: srecon-emea-2016
 *       kind: sched                      # a conference: the whole schedule is ONE event with sessions
 *       url: https://srecon16europe.sched.com/all.ics
 *       title: SREcon16 Europe           # default: the calendar's name
 *       timeZone: Europe/Dublin          # the conference's own zone ("IST" there is Irish Standard Time)
 *       venue: Conrad Dublin
 *       link: https://www.usenix.org/conference/srecon16europe
 *
 * Which community a source belongs to is the data folder it is in. Its events (with `announce: true`) are
 * announced in the community's announce channels, or in the source's own:
 *
 *       channels: ["slack:C0123ABCD", "discord:112233445566778899"]   # these instead of the community's
 *
 * (the announcement rules still say when and on which platforms; a rule's own `channels:` gives way to these).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { parseLocatedYaml, tooLarge, yamlErrorDiagnostics, yamlToJs, zodIssueDiagnostics, type Diagnostic } from '../diagnostics';

export const SOURCES_FILE = 'sources.yml';
export const IMPORT_KINDS = ['ics', 'sched', 'pretalx', 'frab', 'sessionize'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

const MIN_REFRESH_MS = 5 * 60_000;
const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const refresh = z
  .string()
  .regex(/^\d+\s*[smhd]$/, { message: 'should be a duration like 15m, 1h or 1d.' })
  .transform((v) => Number(v.slice(0, -1).trim()) * UNITS[v.slice(-1)]!)
  .refine((ms) => ms >= MIN_REFRESH_MS, { message: 'is too short: fetch at most every 5 minutes (5m), to be a polite client.' });

/** "slack:C0123ABCD", "discord:112233445566778899": as announcements.yml names channels. */
const channelRef = z.string().transform((text, ctx) => {
  const match = /^(slack|discord|console):([A-Za-z0-9_-]+)$/.exec(text.trim());
  if (!match) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `should be platform:channel-id, e.g. "slack:C0123ABCD" or "discord:112233445566778899"; got "${text}".` });
  return { platform: (match?.[1] ?? 'console') as 'slack' | 'discord' | 'console', channel: match?.[2] ?? '' };
});

const SourceSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'should be 1-40 lowercase letters, digits and dashes, e.g. "sremuc-meetup-com".' }),
    kind: z.enum(IMPORT_KINDS),
    url: z.string().url().refine((u) => /^https?:\/\//i.test(u), { message: 'should be an http(s) URL.' }),
    refresh: refresh.default('1h'),
    announce: z.boolean().default(false),
    timeZone: z.string().refine((v) => IANAZone.isValidZone(v), { message: 'is not a time zone: use an IANA name such as "Europe/Dublin".' }).optional(),
    title: z.string().trim().min(1).optional(),
    venue: z.string().trim().min(1).optional(),
    link: z.string().url().refine((u) => /^https?:\/\//i.test(u), { message: 'should be an http(s) URL.' }).optional(),
    channels: z.array(channelRef).min(1, { message: 'is empty: name at least one channel, or remove the key to use the community\'s.' }).optional(),
  })
  .strict();

const FileSchema = z.object({ sources: z.array(SourceSchema).default([]) }).strict();

export type SourceConfig = z.infer<typeof SourceSchema>;
const KEYS = ['sources', ...Object.keys(SourceSchema.shape)];

/** Reads data/sources.yml; a missing file means no imports. Never throws: problems are diagnostics. */
export function loadSourcesConfig(dataDir: string): { sources: SourceConfig[]; diagnostics: Diagnostic[] } {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, SOURCES_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { sources: [], diagnostics: [] };
    return { sources: [], diagnostics: [{ file: SOURCES_FILE, severity: 'error', message: `Cannot read ${SOURCES_FILE} (${(error as Error).message}): no calendars are imported.` }] };
  }
  return parseSourcesConfig(text);
}

export function parseSourcesConfig(text: string, file: string = SOURCES_FILE): { sources: SourceConfig[]; diagnostics: Diagnostic[] } {
  const size = tooLarge(text, file);
  if (size) return { sources: [], diagnostics: [size] };
  const located = parseLocatedYaml(text);
  const syntax = yamlErrorDiagnostics(located, file, 'The sources file');
  if (syntax.length > 0) return { sources: [], diagnostics: syntax };
  const js = yamlToJs(located, file, 'The sources file');
  if (js.diagnostics.length > 0) return { sources: [], diagnostics: js.diagnostics };
  const result = FileSchema.safeParse(js.value ?? {});
  if (!result.success) return { sources: [], diagnostics: zodIssueDiagnostics(result.error.issues, located, file, KEYS) };
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const sources = result.data.sources.filter((s) => {
    if (!seen.has(s.name)) return seen.add(s.name);
    diagnostics.push({ file, severity: 'error', message: `Source name "${s.name}" is used twice: give each source its own name (it prefixes event ids).` });
    return false;
  });
  return { sources, diagnostics };
}
