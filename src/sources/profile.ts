/**
 * A community's source profile: how its posts and data files say what the reader needs (which front matter keys,
 * which headings, which languages). It lives under `source:` in data/settings.yml; every key is optional and the
 * defaults read SRE Munich's Hugo posts. Nothing community-specific lives in code: a new community writes a
 * profile. See README "Source profile" for the documented keys and examples.
 */
import { z } from 'zod';
import { parseTimeOfDay, type TimeOfDay } from './time';

/** Front matter keys (dotted paths into nested maps, e.g. `event.date`) tried in order for each meetup field. */
const keyList = z.union([z.string().min(1).transform((k) => [k]), z.array(z.string().min(1))]);
const words = z.array(z.string().trim().min(1));

const FIELDS = ['title', 'eventDate', 'start', 'end', 'doors', 'venue', 'address', 'online', 'published', 'cancelled', 'url', 'speakers', 'talks', 'agenda'] as const;
export type ProfileField = (typeof FIELDS)[number];

export const DEFAULT_FRONT_MATTER: Record<ProfileField, string[]> = {
  title: ['title'],
  eventDate: ['eventDate'],
  start: ['start'],
  end: ['end'],
  doors: ['doors'],
  venue: ['venue'],
  address: ['address'],
  online: ['online'],
  published: ['date'],
  cancelled: ['cancelled'],
  url: [],
  speakers: [],
  talks: [],
  agenda: [],
};

/** Headings, lower case, matched at the start of a heading after an optional article ("The Program", "Der Ablauf"). */
export const DEFAULT_HEADINGS = {
  agenda: ['agenda', 'schedule', 'program', 'programme', 'programm', 'programma', 'timetable', 'ablauf', 'zeitplan', 'programa', 'agenda du jour', 'déroulé', 'harmonogram', 'dagsorden', 'schema', 'ohjelma'],
  talks: ['abstracts', 'abstract', 'topics', 'talks', 'sessions', 'presentations', 'vorträge', 'vortrag', 'themen', 'présentations', 'conférences', 'charlas', 'charla', 'ponencias', 'sprekers en talks', 'prelekcje', 'prezentacje', 'wystąpienia', 'interventi', 'palestras', 'foredrag', 'föredrag'],
  speakers: ['speakers', 'speaker', 'about the speaker', 'about the speakers', 'sprecher', 'sprecherinnen', 'referenten', 'intervenants', 'ponentes', 'ponente', 'sprekers', 'prelegenci', 'relatori', 'palestrantes', 'oradores', 'talere', 'talare'],
  location: ['location', 'venue', 'where', 'address', 'ort', 'veranstaltungsort', 'wo', 'lieu', 'lugar', 'locatie', 'adres', 'miejsce', 'gdzie', 'luogo', 'dove', 'sede', 'onde', 'sted', 'hvor', 'plats', 'var'],
  when: ['when', 'date', 'time', 'details', 'information', 'save the date', 'next meetup', 'next event', 'upcoming meetup', 'nächstes treffen', 'nächstes meetup', 'prochain meetup', 'prochaine rencontre', 'próximo evento', 'próximo meetup', 'volgende meetup', 'wann', 'datum', 'termin', 'uhrzeit', 'quand', 'heure', 'informations', 'cuándo', 'fecha', 'hora', 'horario', 'información del evento', 'wanneer', 'tijd', 'kiedy', 'data', 'godzina', 'informacje', 'quando', 'orario', 'ora', 'horário', 'hvornår', 'tidspunkt', 'när', 'tid'],
  cfp: ['participation', 'call for talks', 'call for papers', 'call for speakers', 'call for proposals', 'cfp', 'mitmachen', 'vortrag einreichen'],
  slides: ['slides', 'folien'],
  recordings: ['recordings', 'recording', 'videos', 'video', 'aufzeichnungen', 'aufzeichnung'],
};

export type HeadingKind = keyof typeof DEFAULT_HEADINGS;

/** Keys inside each record of a data file (events.yml, events.toml, one JSON per meeting). */
export const DEFAULT_DATA_FIELDS = {
  /** Top-level keys holding lists of records (`[[upcoming]]`, `[[past]]`); a top-level list needs none. */
  lists: ['events', 'upcoming', 'recent', 'past'],
  id: ['id'],
  title: ['title'],
  eventDate: ['date', 'start'],
  start: ['time', 'doors'],
  end: ['end'],
  venue: ['venue', 'location'],
  address: ['address'],
  online: ['online'],
  url: ['url'],
  agenda: ['agenda'],
  talks: ['talks'],
  talkTitle: ['title'],
  talkSpeakers: ['speakers', 'speaker'],
  talkAbstract: ['abstract'],
  talkLinks: ['slides', 'recording'],
};

export type DataFields = Record<keyof typeof DEFAULT_DATA_FIELDS, string[]>;

/** Names that stand for nobody in particular ("TBD", "the community", "Roundtable Discussion"). */
const DEFAULT_NOT_SPEAKERS = ['tbd', 'tba', 'to be announced', 'n/a', 'everyone', 'the community', 'community', 'roundtable', 'round table', 'open discussion', 'speaker', 'spreker', 'sprecher'];

/** Articles a heading may start with before its keyword. */
const ARTICLES = String.raw`(?:(?:the|today'?s|our|der|die|das|unser|le|la|les|el|los|het|de)\s+)?`;

/** Prose-date languages: chrono-node's locales, and Polish through the month/weekday table in prose-date-words.ts. */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'nl', 'pt', 'it', 'sv', 'fi', 'ru', 'uk', 'ja', 'zh', 'pl'] as const;

const lookup = z.object({ folder: z.string().min(1), name: keyList.optional() }).strict();

export const ProfileSchema = z
  .object({
    /** Front matter keys per field; a field not given keeps its default keys. */
    frontMatter: z.object(Object.fromEntries(FIELDS.map((f) => [f, keyList.optional()])) as Record<ProfileField, z.ZodOptional<typeof keyList>>).strict().optional(),
    /** Posts without front matter (plain Markdown): the title comes from the first `#` heading. */
    frontMatterRequired: z.boolean().optional(),
    /** A `YYYY-MM-DD` in the file or folder name is the meetup date (planning repositories, Jekyll posts do not want this). */
    dateFromPath: z.boolean().optional(),
    headings: z.object(Object.fromEntries(Object.keys(DEFAULT_HEADINGS).map((k) => [k, words.optional()])) as Record<HeadingKind, z.ZodOptional<typeof words>>).strict().optional(),
    /** Languages of prose dates, as chrono-node locales: en, de, fr, es, nl, pt, it, sv, fi, ru, uk, ja, zh. */
    languages: z.array(z.enum(LANGUAGES)).min(1).optional(),
    /** Files in the events folder that are not meetups (a listing `index.md`): file names or paths, `*` for any name part. */
    skipFiles: words.optional(),
    /**
     * Folders (relative to the events folder) of `<id>.yaml` files that posts point to by id: `speakers` for
     * speaker ids, `venues` for place ids. Their files are not meetups. `name` lists the keys holding the name.
     */
    lookups: z.object({ speakers: lookup.optional(), venues: lookup.optional() }).strict().optional(),
    /** Text a named shortcode stands for, with `{arg}` replaced by its argument (an id in a lookup by its name). */
    shortcodes: z.record(z.string().regex(/^[\w./-]+$/), z.string()).optional(),
    /** A front matter key holding the post's text as a rich-text (ProseMirror/Bard) document, as Statamic stores it. */
    bodyKey: z.string().min(1).optional(),
    /** Title words that mark a cancelled meetup ("[Afgelast] ...", "CANCELLED: ..."). */
    cancelledWords: words.optional(),
    /** Start when a post gives a date but no time (the site's own default, e.g. "18:30"). */
    defaultStart: z.string().refine((v) => parseTimeOfDay(v) !== undefined, { message: 'is not a time of day: write "18:30".' }).optional(),
    /** Length of a meetup whose end is not written, in minutes. */
    defaultDurationMinutes: z.number().int().positive().max(7 * 24 * 60).optional(),
    /** Keys inside the records of data files (events.yml, events.toml, *.json); each replaces its default list. */
    dataFiles: z.object(Object.fromEntries(Object.keys(DEFAULT_DATA_FIELDS).map((k) => [k, keyList.optional()])) as Record<keyof typeof DEFAULT_DATA_FIELDS, z.ZodOptional<typeof keyList>>).strict().optional(),
    /** Speaker names that are placeholders, not people (matched at the start of the name, any case). */
    notSpeakers: words.optional(),
    /** Words in a title or location that mean a meetup is online (it then links to its page until a meeting link is written). */
    onlineWords: words.optional(),
    /** A community that only meets online (no venue in its files): events are marked online with this link. */
    onlineLink: z.string().url().optional(),
  })
  .strict();

export type SourceProfileSettings = z.infer<typeof ProfileSchema>;

/** Every key a profile may have, for "did you mean" suggestions on a misspelled one. */
export const PROFILE_KEYS = [...Object.keys(ProfileSchema.shape), ...FIELDS, ...Object.keys(DEFAULT_HEADINGS), ...Object.keys(DEFAULT_DATA_FIELDS)];

export interface Profile {
  frontMatter: Record<ProfileField, string[]>;
  frontMatterRequired: boolean;
  dateFromPath: boolean;
  headings: Record<HeadingKind, RegExp>;
  /** "abstracts" anywhere in a heading ("Speakers and Abstracts"). */
  talksAnywhere: RegExp;
  languages: string[];
  cancelledTitle: RegExp;
  defaultStart: TimeOfDay;
  /** The profile names the start itself, so using it is no guess worth a warning. */
  defaultStartGiven: boolean;
  defaultDurationMinutes: number;
  onlineLink?: string;
  onlineWords: RegExp;
  dataFields: DataFields;
  notSpeaker: RegExp;
  skipFiles: RegExp[];
  lookups: { speakers?: { folder: string; name: string[] }; venues?: { folder: string; name: string[] } };
  shortcodes: Record<string, string>;
  bodyKey?: string;
}

const DEFAULT_ONLINE = ['online', 'virtual', 'virtuell', 'en ligne', 'webinar', 'livestream', 'remote'];

const DEFAULT_CANCELLED = ['cancelled', 'canceled', 'abgesagt', 'entfällt', 'afgelast', 'geannuleerd', 'annulé', 'cancelado', 'cancelada', 'odwołane'];

const resolved = new WeakMap<object, Profile>();

/** The profile with every default filled in; the same settings object gives the same Profile. */
export function resolveProfile(settings: { source?: SourceProfileSettings }): Profile {
  const cached = resolved.get(settings);
  if (cached) return cached;
  const given = settings.source ?? {};
  const headings = Object.fromEntries(
    (Object.keys(DEFAULT_HEADINGS) as HeadingKind[]).map((kind) => [kind, startsWith(given.headings?.[kind] ?? DEFAULT_HEADINGS[kind])]),
  ) as Record<HeadingKind, RegExp>;
  const cancelled = (given.cancelledWords ?? DEFAULT_CANCELLED).map(escape).join('|');
  const profile: Profile = {
    frontMatter: { ...DEFAULT_FRONT_MATTER, ...Object.fromEntries(Object.entries(given.frontMatter ?? {}).filter(([, v]) => v !== undefined)) },
    frontMatterRequired: given.frontMatterRequired ?? true,
    dateFromPath: given.dateFromPath ?? false,
    headings,
    talksAnywhere: new RegExp(String.raw`(?:^|\s)(?:${(given.headings?.talks ?? DEFAULT_HEADINGS.talks).map(escape).join('|')})(?=$|[\s:.!,])`, 'iu'),
    languages: given.languages ?? ['en', 'de'],
    // "CANCELLED: March Meetup", "[Abgesagt] ...", and at the end: "March Meetup (CANCELLED)", "March Meetup - cancelled".
    // Only in brackets or before a separator: "Cancelled flights and other SRE stories" is a talk title.
    cancelledTitle: new RegExp(String.raw`^\s*(?:[[(]\s*(?:${cancelled})\s*[\])]\s*[:\-–!|]*|(?:${cancelled})\s*[:\-–!|]+)\s*|\s*[[(]\s*(?:${cancelled})!?\s*[\])]\s*$|\s+[-–|]\s*(?:${cancelled})!?\s*$`, 'iu'),
    defaultStart: parseTimeOfDay(given.defaultStart ?? '18:30')!,
    defaultStartGiven: given.defaultStart !== undefined,
    defaultDurationMinutes: given.defaultDurationMinutes ?? 180,
    onlineLink: given.onlineLink,
    onlineWords: new RegExp(String.raw`(?:^|[^\p{L}])(?:${(given.onlineWords ?? DEFAULT_ONLINE).map(escape).join('|')})(?=$|[^\p{L}])`, 'iu'),
    dataFields: { ...DEFAULT_DATA_FIELDS, ...Object.fromEntries(Object.entries(given.dataFiles ?? {}).filter(([, v]) => v !== undefined)) },
    skipFiles: (given.skipFiles ?? []).map(globToRegExp),
    lookups: Object.fromEntries(Object.entries(given.lookups ?? {}).filter(([, v]) => v).map(([k, v]) => [k, { folder: v!.folder.replace(/^\.?\/+|\/+$/g, ''), name: v!.name ?? ['name', 'title'] }])),
    shortcodes: given.shortcodes ?? {},
    bodyKey: given.bodyKey,
    notSpeaker: new RegExp(String.raw`^\s*(?:${(given.notSpeakers ?? DEFAULT_NOT_SPEAKERS).map(escape).join('|')})(?:$|[\s\d(])`, 'iu'),
  };
  resolved.set(settings, profile);
  return profile;
}

/** `index.md` matches that name in any folder; `listing/*.md` a path under the events folder. */
function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
  return new RegExp(`(?:^|/)${body}$`, 'i');
}

/** Whether a file (relative to the events folder) is not a meetup: listed in `skipFiles` or inside a lookup folder. */
export function isSkipped(profile: Profile, relative: string): boolean {
  if (profile.skipFiles.some((r) => r.test(relative))) return true;
  return Object.values(profile.lookups).some((l) => l !== undefined && relative.startsWith(`${l.folder}/`));
}

function startsWith(phrases: readonly string[]): RegExp {
  return new RegExp(String.raw`^${ARTICLES}(?:${phrases.map(escape).join('|')})(?=$|[\s:.!,(])`, 'iu');
}

function escape(text: string): string {
  return text.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, String.raw`\s+`);
}

/** The value at a dotted path (`event.location.name`) in parsed front matter or a data record. */
export function valueAt(data: unknown, path: string): unknown {
  let current = data;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** The first of `paths` that holds a value, and which path it was (for the diagnostic's line). */
export function firstValue(data: unknown, paths: readonly string[]): { path: string; value: unknown } | undefined {
  for (const path of paths) {
    const value = valueAt(data, path);
    if (value !== undefined && value !== null && value !== '') return { path, value };
  }
  return undefined;
}
