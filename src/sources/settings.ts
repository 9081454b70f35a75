import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import type { CommunitySettings } from '../catalogue/settings';
import { ProfileSchema, PROFILE_KEYS } from './profile';
import { parseLocatedYaml, tooLarge, yamlErrorDiagnostics, yamlToJs, zodIssueDiagnostics, type Diagnostic } from './diagnostics';

export const SETTINGS_FILE = 'settings.yml';

/** Used when data/settings.yml is missing or broken and nothing good was loaded before. */
export const DEFAULT_SETTINGS: CommunitySettings = {
  name: 'Meetup',
  hashtag: '',
  contact: '',
  timeZone: 'Europe/Berlin',
  cfp: {
    text: "We're always looking for talks. Get in touch with the organizers if you'd like to present!",
    talkMinutes: { min: 20, max: 45 },
    formats: ['Technical talk (20-45 minutes)'],
  },
};

const zone = z.string().refine((v) => IANAZone.isValidZone(v), { message: 'is not a time zone: use an IANA name such as "Europe/Berlin".' });
const minutes = z
  .object({ min: z.number().int().positive(), max: z.number().int().positive() })
  .strict()
  .refine((m) => m.min <= m.max, { message: '`min` must not be larger than `max`.' });
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'should be a date like 2026-12-15.' })
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), { message: 'is not a real calendar date.' });

// A bare long Discord id is a YAML number (rounded): refused as "should be text", so it is quoted, not misread.
const id = z.string().trim().regex(/^[A-Za-z0-9]+$/, { message: 'should be an id as the platform shows it, e.g. C0123ABCD or 1234567890.' });
const ids = z.array(id).default([]);
const slackBlock = z.object({ team: id.optional(), announce: ids, organizers: id.optional(), organizerUsers: ids, channels: ids }).strict();
const discordBlock = z.object({ guild: id.optional(), announce: ids, organizers: id.optional(), organizerRole: id.optional(), channels: ids }).strict();

const SettingsSchema = z
  .object({
    name: z.string().trim().min(1),
    hashtag: z
      .string()
      .trim()
      .regex(/^#\S+$/, { message: 'should start with # and have no spaces, e.g. "#sremuc" (quote it: a bare # starts a YAML comment).' })
      .optional()
      .transform((v) => v ?? ''),
    contact: z.string().trim().default(''),
    timeZone: zone.default(DEFAULT_SETTINGS.timeZone),
    website: z.string().url({ message: 'should be a full URL, e.g. https://muc.sre.xyz.' }).optional(),
    eventUrlTemplate: z
      .string()
      .refine((v) => v.includes('{id}'), { message: 'must contain {id}, e.g. "{website}/posts/{id}/".' })
      .optional(),
    cfp: z
      .object({
        text: z.string().trim().min(1),
        talkMinutes: minutes,
        lightningMinutes: minutes.optional(),
        formats: z.array(z.string().trim().min(1)).default([]),
        submitUrl: z.string().url({ message: 'should be a URL or mailto: address, e.g. mailto:muc@sre.xyz.' }).optional(),
        deadline: isoDay.optional(),
      })
      .strict()
      .default(DEFAULT_SETTINGS.cfp),
    source: ProfileSchema.optional(),
    slack: slackBlock.optional(),
    discord: discordBlock.optional(),
    repository: z
      .object({ url: z.string().trim().min(1), branch: z.string().trim().min(1).default('main'), path: z.string().trim().min(1).default('content/events') })
      .strict()
      .optional(),
  })
  .strict()
  .refine((s) => !s.eventUrlTemplate?.includes('{website}') || s.website, { message: '`eventUrlTemplate` uses {website}: set `website` too.', path: ['eventUrlTemplate'] });

const SETTINGS_KEYS = ['name', 'hashtag', 'contact', 'timeZone', 'website', 'eventUrlTemplate', 'cfp', 'text', 'talkMinutes', 'lightningMinutes', 'formats', 'submitUrl', 'deadline', 'min', 'max', 'source', 'slack', 'discord', 'team', 'guild', 'announce', 'organizers', 'organizerUsers', 'organizerRole', 'channels', 'repository', 'url', 'branch', 'path', ...PROFILE_KEYS];

export interface SettingsResult {
  settings: CommunitySettings;
  diagnostics: Diagnostic[];
  /** False when the file was missing or broken and the fallback is in use. */
  fromFile: boolean;
}

export interface SettingsOptions {
  /** BOT_TIMEZONE: replaces the file's time zone when set. */
  timeZone?: string;
  /** Last good settings, kept when the file breaks (a typo must not reset the community to defaults). */
  previous?: CommunitySettings;
  /** Read the settings from this file instead of `<dataDir>/settings.yml` (validate --settings). */
  path?: string;
}

/** Reads and validates data/settings.yml. Never throws: problems are diagnostics and a fallback is used. */
export function loadSettings(dataDir: string, options: SettingsOptions = {}): SettingsResult {
  const fallback = options.previous ?? DEFAULT_SETTINGS;
  const file = SETTINGS_FILE;
  let text: string;
  try {
    text = readFileSync(options.path ?? path.join(dataDir, file), 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    const message = missing
      ? `No ${file}: using ${options.previous ? 'the last loaded' : 'default'} settings. Create it with name, hashtag, contact and timeZone.`
      : `Cannot read ${file} (${(error as Error).message}).`;
    return finish(fallback, [{ file, severity: missing ? 'warning' : 'error', message }], false, options);
  }
  const parsed = parseSettingsText(text, file);
  if (!parsed.settings) {
    const keep = `${options.previous ? 'The last good settings stay' : 'Default settings are'} in use until this is fixed.`;
    return finish(fallback, parsed.diagnostics.map((d) => ({ ...d, message: `${d.message} ${keep}` })), false, options);
  }
  return finish(parsed.settings, parsed.diagnostics, true, options);
}

export function parseSettingsText(text: string, file: string = SETTINGS_FILE): { settings?: CommunitySettings; diagnostics: Diagnostic[] } {
  const size = tooLarge(text, file);
  if (size) return { diagnostics: [size] };
  const located = parseLocatedYaml(text.replace(/^\uFEFF/, ''));
  const syntax = yamlErrorDiagnostics(located, file, 'The settings file');
  if (syntax.length > 0) return { diagnostics: syntax };
  const js = yamlToJs(located, file, 'The settings file');
  if (js.diagnostics.length > 0) return { diagnostics: js.diagnostics };
  const result = SettingsSchema.safeParse(js.value ?? {});
  if (!result.success) return { diagnostics: zodIssueDiagnostics(result.error.issues, located, file, SETTINGS_KEYS) };
  return { settings: stripUndefined(result.data) as CommunitySettings, diagnostics: [] };
}

function finish(settings: CommunitySettings, diagnostics: Diagnostic[], fromFile: boolean, options: SettingsOptions): SettingsResult {
  if (options.timeZone === undefined) return { settings, diagnostics, fromFile };
  if (!IANAZone.isValidZone(options.timeZone)) {
    diagnostics.push({ file: SETTINGS_FILE, severity: 'error', message: `BOT_TIMEZONE "${options.timeZone}" is not a time zone: keeping ${settings.timeZone}. Use an IANA name such as "Europe/Berlin".` });
    return { settings, diagnostics, fromFile };
  }
  return { settings: { ...settings, timeZone: options.timeZone }, diagnostics, fromFile };
}

/** zod keeps `key: undefined` for absent optionals; consumers compare settings, so absent means absent. */
function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripUndefined) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, stripUndefined(v)])) as T;
  }
  return value;
}
