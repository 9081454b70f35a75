import type { DateTime } from 'luxon';
import type { AgendaItem, DateSource, Link, MeetupEvent, Speaker, Talk } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import { DEFAULT_LENGTH_HOURS, endFromAgenda, parseAgendaLines, type AgendaLine } from './agenda';
import { tooLarge, type Diagnostic } from './diagnostics';
import { readFrontMatter, type FrontMatter } from './front-matter';
import { findLinks, paragraphs, parseSections, plainParagraphs, plainText, stripBullet, subsections, type Section, type SourceLine } from './markdown-text';
import { findProseDate, type ProseDate } from './prose-date';
import { eventUrl, resolveLink } from './links';
import { companyFromBio, completeSpeaker, findKnown, parseSpeakerList, withoutHonorific, type KnownSpeaker } from './speakers';
import { abstractEntriesFromBullets, abstractEntriesFromSections, isTalk, matchEntries, parseTalkText, similarity, type AbstractEntry, type TalkText } from './talks';
import { addDays, atWallTime, inDstGap, formatTimeOfDay, plusMillis, isoDate, parseTimeOfDay, parseWallDateTime, type CalendarDate, type TimeOfDay, type WallDateTime } from './time';

/** What reading one file gave: the event (absent when the file has an error or is a draft) and what to tell organizers. */
export interface ParsedFile {
  event?: MeetupEvent;
  diagnostics: Diagnostic[];
  /** `draft: true`: deliberately not a meetup yet. */
  draft?: boolean;
}

export interface ParseOptions {
  /** Path relative to the data dir, e.g. "events/sre-munich-summer-event-2024.md". */
  file: string;
  settings: CommunitySettings;
}

const DEFAULT_START: TimeOfDay = { hour: 18, minute: 30 };

/**
 * Parses one website post into a MeetupEvent. Never throws: every problem is a diagnostic, and a bug in the reader
 * becomes an error asking for a report rather than stopping every other file from loading.
 */
export function parseMarkdownEvent(text: string, options: ParseOptions): ParsedFile {
  try {
    return readPost(text, options);
  } catch (error) {
    return { diagnostics: [{ file: options.file, severity: 'error', message: `Could not read this post (${error instanceof Error ? error.message : String(error)}). Please report it to the bot's maintainers with the file.` }] };
  }
}

/** The reader without the safety net, for tests that must see a crash as a crash (fuzzing). */
export function readPost(raw: string, options: ParseOptions): ParsedFile {
  const { file } = options;
  const textProblem = checkText(raw, file);
  if (textProblem?.severity === 'error') return { diagnostics: [textProblem] };
  // Windows editors save UTF-8 with a byte-order mark; it is not part of the text (and hides the opening ---).
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const front = readFrontMatter(text, file);
  const diagnostics: Diagnostic[] = [...(textProblem ? [textProblem] : []), ...front.diagnostics];
  if (!front.data || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  if (front.data.draft === true) {
    diagnostics.push({ file, line: front.keyLine('draft'), severity: 'info', message: 'Draft (`draft: true`): not shown or announced until it is set to false.' });
    return { diagnostics, draft: true };
  }
  const post = new PostReader(front.data, front.body, parseSections(front.body, front.bodyLine), options, diagnostics, front.keyLine);
  const event = post.read();
  return event ? { event, diagnostics } : { diagnostics };
}

/** Binary junk or broken encodings are named before anything tries to read them as Markdown. */
function checkText(text: string, file: string): Diagnostic | undefined {
  const size = tooLarge(text, file);
  if (size) return size;
  if (!/[\u0000\uFFFD]/.test(text)) return undefined;
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return { file, line: lineNumberAt(text, nul), severity: 'error', message: 'This file contains binary data (NUL bytes), not text: save it as UTF-8 Markdown.' };
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) return { file, line: lineNumberAt(text, bad), severity: 'warning', message: 'This line has bytes that are not valid UTF-8 (shown as �): save the file as UTF-8.' };
  return undefined;
}

function lineNumberAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

const KEY = {
  agenda: /^(?:today'?s\s+)?(?:agenda|schedule|program(?:me)?|timetable)\b/,
  abstracts: /\b(?:abstracts?|topics|talks|sessions)\b/,
  speakers: /^(?:the\s+)?speakers?\b|^about the speakers?\b/,
  participation: /^(?:participation|call for (?:talks|papers|speakers|proposals)|cfp)\b/,
  slides: /^slides\b/,
  recordings: /^(?:recordings?|videos?)\b/,
  location: /^(?:location|venue|where|address)\b/,
  when: /^(?:when|date|time|details|save the date)\b/,
};

/** Reads one post's sections into an event; owns the diagnostics for this file while doing so. */
class PostReader {
  private readonly zone: string;

  constructor(
    private readonly fm: FrontMatter,
    private readonly body: string,
    private readonly sections: Section[],
    private readonly options: ParseOptions,
    private readonly diagnostics: Diagnostic[],
    private readonly keyLine: (key: string) => number | undefined,
  ) {
    this.zone = options.settings.timeZone;
  }

  read(): MeetupEvent | undefined {
    const published = this.fm.date ? parseWallDateTime(this.fm.date, this.zone) : undefined;
    const explicit = this.explicitFields();
    const known = this.knownSpeakers();
    const agendaLines = this.agendaLines();
    const prose = this.proseDate(published);

    const day = this.meetupDay(explicit, prose, published);
    if (!day) return undefined;
    const startClock = this.startClock(explicit, agendaLines, prose);
    const start = atWallTime(day.date, startClock, this.zone);
    if (inDstGap(day.date, startClock, this.zone)) this.warn(this.keyLine('start') ?? this.keyLine('eventDate'), `${formatTimeOfDay(startClock)} does not exist on ${isoDate(day.date)} in ${this.zone} (the clocks skip that hour): the meetup is shown at ${start.toFormat('HH:mm')}. Check the time.`);
    const { agenda, talks } = this.agendaAndTalks(agendaLines, day.date, known);
    const end = this.end(explicit, prose, agenda, start, day.date);
    const eventSlides = this.attachAbstracts(talks, known);
    const id = idOf(this.options.file);
    const title = plainText(this.fm.title);
    const cancelled = this.fm.cancelled === true || this.fm.status === 'cancelled' || CANCELLED_TITLE.test(title);
    const place = this.place(title);

    return {
      id,
      title: title.replace(CANCELLED_TITLE, '').trim() || title,
      summary: this.summary(),
      start,
      end,
      dateSource: day.source,
      venue: place.venue,
      address: place.address,
      online: this.fm.online ?? this.onlineLink(),
      agenda,
      talks: talks.map(({ parsed: _parsed, line: _line, ...talk }) => talk),
      cfp: this.sectionText(KEY.participation),
      slides: [...eventSlides, ...this.linkSection(KEY.slides)],
      recordings: this.linkSection(KEY.recordings),
      url: eventUrl(this.options.settings, id),
      status: cancelled ? 'cancelled' : 'scheduled',
      ...(day.toBeConfirmed ? { dateToBeConfirmed: true } : {}),
      source: { file: this.options.file, publishedAt: published?.time ? atWallTime(published.date, published.time, this.zone) : published ? atWallTime(published.date, { hour: 0, minute: 0 }, this.zone) : undefined },
    };
  }

  // ----- dates and times -------------------------------------------------------------------------------------

  private explicitFields(): Record<'eventDate' | 'start' | 'end' | 'doors', WallDateTime | TimeOfDay | undefined> {
    const read = (key: 'eventDate' | 'start' | 'end' | 'doors') => {
      const value = this.fm[key];
      if (value === undefined) return undefined;
      const wall = parseWallDateTime(value, this.zone);
      if (wall?.offsetMismatch) {
        this.warn(this.keyLine(key), `\`${key}\` says ${wall.offsetMismatch.written}, but ${this.zone} is ${wall.offsetMismatch.actual} on ${isoDate(wall.date)}: using the wall time ${wall.time ? formatTimeOfDay(wall.time) : ''} as written. Drop the offset to silence this.`);
      }
      return wall ?? parseTimeOfDay(value);
    };
    return { eventDate: read('eventDate'), start: read('start'), end: read('end'), doors: read('doors') };
  }

  private meetupDay(explicit: ReturnType<PostReader['explicitFields']>, prose: ProseDate | undefined, published: WallDateTime | undefined): { date: CalendarDate; source: DateSource; toBeConfirmed?: boolean } | undefined {
    for (const key of ['eventDate', 'start', 'doors'] as const) {
      const value = explicit[key];
      if (value && 'date' in value) return { date: value.date, source: 'front-matter' };
    }
    if (prose) {
      if (prose.weekdayMismatch) this.warn(prose.line, `"${prose.text}" names a weekday, but ${isoDate(prose.date)} is a ${prose.weekdayMismatch}: fix the date or the weekday, or add \`eventDate:\` to the front matter.`);
      if (prose.yearInferred && published && daysBetween(published.date, prose.date) > 300) {
        this.warn(prose.line, `"${prose.text}" is read as ${isoDate(prose.date)}, almost a year after the post date ${isoDate(published.date)}; if the post was written after the meetup, add \`eventDate:\` to the front matter.`);
      }
      return { date: prose.date, source: 'prose' };
    }
    if (published) {
      // `date` is when the post was published; a meetup announced on it would be a guess (the Netlight 2025 post
      // was first pushed without a date, and its publication day went out to every channel as the meetup).
      this.warn(this.keyLine('date'), `No meetup date: the post only has its publication date ${isoDate(published.date)}, so the meetup is shown as "date to be confirmed" and not announced. Add \`eventDate: YYYY-MM-DD\` (and \`start: "18:30"\`) to the front matter.`);
      return { date: published.date, source: 'front-matter', toBeConfirmed: true };
    }
    this.error(1, 'No meetup date: add `eventDate: YYYY-MM-DD` (or `date:`) to the front matter, or write "for July 10th" in the first paragraph.');
    return undefined;
  }

  private startClock(explicit: ReturnType<PostReader['explicitFields']>, agenda: AgendaLine[], prose: ProseDate | undefined): TimeOfDay {
    for (const key of ['start', 'doors', 'eventDate'] as const) {
      const value = explicit[key];
      if (value && 'hour' in value) return value;
      if (value && 'time' in value && value.time) return value.time;
    }
    const firstTimed = agenda.find((a) => a.time && a.dayOffset === 0);
    if (firstTimed?.time) return firstTimed.time;
    if (prose?.start) return prose.start;
    this.warn(this.sectionLine(KEY.agenda) ?? 1, `No start time found (no timed \`## Agenda\` line, no time next to the date): assuming ${formatTimeOfDay(DEFAULT_START)}. Add \`start: "18:30"\` to the front matter or times to the agenda.`);
    return DEFAULT_START;
  }

  private end(explicit: ReturnType<PostReader['explicitFields']>, prose: ProseDate | undefined, agenda: AgendaItem[], start: DateTime, date: CalendarDate): DateTime {
    const value = explicit.end;
    const clock = value && 'hour' in value ? value : value && 'time' in value ? value.time : undefined;
    const fromFields = value && 'date' in value && value.time ? atWallTime(value.date, value.time, this.zone) : clock ? this.afterStart(date, clock, start) : undefined;
    if (fromFields && fromFields > start) return fromFields;
    if (fromFields) this.warn(this.keyLine('end'), '`end` is not after the start: ignoring it. Write the time the meetup ends, e.g. `end: "21:30"`.');
    if (prose?.end) {
      const proseEnd = this.afterStart(date, prose.end, start);
      if (proseEnd > start) return proseEnd;
    }
    return endFromAgenda(agenda, start) ?? plusMillis(start, DEFAULT_LENGTH_HOURS * 3_600_000);
  }

  /** An end clock earlier than the start ("to 1:00") is after midnight. */
  private afterStart(date: CalendarDate, clock: TimeOfDay, start: DateTime): DateTime {
    const sameDay = atWallTime(date, clock, this.zone);
    return sameDay > start || clock.hour >= 6 ? sameDay : atWallTime(addDays(date, 1), clock, this.zone);
  }

  private proseDate(published: WallDateTime | undefined): ProseDate | undefined {
    const lines: SourceLine[] = [];
    this.sections.forEach((s, i) => {
      if (i === 0 || KEY.location.test(s.key) || KEY.when.test(s.key)) lines.push(...s.lines);
    });
    return findProseDate(lines, published?.date);
  }

  // ----- agenda and talks ------------------------------------------------------------------------------------

  private agendaLines(): AgendaLine[] {
    const index = this.sections.findIndex((s) => KEY.agenda.test(s.key));
    if (index < 0) return [];
    const section = this.sections[index]!;
    const { items, problems } = parseAgendaLines([section, ...subsections(this.sections, index)].flatMap((s) => s.lines));
    for (const p of problems) this.diagnostics.push({ file: this.options.file, line: p.line, severity: p.severity, message: p.message });
    return items;
  }

  private agendaAndTalks(lines: AgendaLine[], date: CalendarDate, known: KnownSpeaker[]): { agenda: AgendaItem[]; talks: TalkDraft[] } {
    const agenda: AgendaItem[] = [];
    const talks: TalkDraft[] = [];
    for (const line of lines) {
      const start = line.time ? atWallTime(addDays(date, line.dayOffset), line.time, this.zone) : undefined;
      const parsed = parseTalkText(line.text, known);
      if (!isTalk(parsed)) {
        agenda.push({ start, title: plainText(line.text) });
        continue;
      }
      const talk: TalkDraft = { parsed, title: parsed.title, speakers: parsed.speakers, kind: parsed.kind, slides: [], start, line: line.line };
      agenda.push({ start, title: parsed.label && parsed.label !== parsed.title ? `${parsed.label}: ${parsed.title}` : parsed.title, talkIndex: talks.length });
      talks.push(talk);
    }
    return { agenda, talks };
  }

  private knownSpeakers(): KnownSpeaker[] {
    return this.sections.filter((s) => KEY.speakers.test(s.key)).flatMap((s) => parseSpeakerList(s.lines));
  }

  /** Abstracts, bios and slides onto their talks; returns slides of entries that match no talk (kick-off decks). */
  private attachAbstracts(talks: TalkDraft[], known: KnownSpeaker[]): Link[] {
    const entries = this.abstractEntries(talks, known);
    const matches = matchEntries(entries, talks.map((t) => ({ title: t.title, number: t.parsed.number })));
    const eventSlides: Link[] = [];
    entries.forEach((entry, i) => {
      const index = matches[i];
      if (index === undefined) {
        eventSlides.push(...entry.slides.map((s) => this.link(s, 'Slides')));
        this.reportUnmatched(entry);
        return;
      }
      mergeEntry(talks[index]!, entry, (l) => this.link(l, 'Slides'));
    });
    for (const talk of talks) talk.speakers = talk.speakers.map((s) => withCompanyFromBio(completeSpeaker(s, known)));
    assignLeftoverSpeaker(talks, known);
    return eventSlides;
  }

  private abstractEntries(talks: TalkDraft[], known: KnownSpeaker[]): AbstractEntry[] {
    const entries: AbstractEntry[] = [];
    this.sections.forEach((section, index) => {
      if (section.level === 0 || !KEY.abstracts.test(section.key)) return;
      const children = subsections(this.sections, index);
      entries.push(...abstractEntriesFromSections(children, known));
      const ownBullets = section.lines.some((l) => stripBullet(l.text) !== undefined);
      if (ownBullets) entries.push(...abstractEntriesFromBullets(section.lines, talks.map((t) => t.title), known));
      else if (children.length === 0 && talks.length === 1) {
        const text = plainParagraphs(section.lines);
        if (text) entries.push({ heading: talks[0]!.parsed, line: section.line, abstractParagraphs: [text], bios: [], slides: [] });
      }
    });
    return entries;
  }

  private reportUnmatched(entry: AbstractEntry): void {
    const heading = entry.heading.label ? `${entry.heading.label}${entry.heading.title !== entry.heading.label ? `: ${entry.heading.title}` : ''}` : entry.heading.title;
    if (entry.heading.number !== undefined) {
      this.info(entry.line, `"${heading}" has no "${entry.heading.label}" in the agenda${entry.slides.length > 0 ? '; its slides are listed as the meetup\'s slides' : ''}.`);
    } else if (entry.abstractParagraphs.length > 0 || entry.bios.length > 0) {
      this.warn(entry.line, `"${heading}" matches no talk in the agenda, so its abstract is not shown: use the talk's title from the agenda (or "Talk N") as the heading.`);
    }
  }

  // ----- text, places and links ------------------------------------------------------------------------------

  private summary(): string | undefined {
    for (const p of paragraphs(this.sections[0]!.lines)) {
      const text = plainText(p.map((l) => l.text).join(' '));
      if (text !== '') return text;
    }
    return undefined;
  }

  private sectionText(key: RegExp): string | undefined {
    const index = this.sections.findIndex((s) => s.level > 0 && key.test(s.key));
    if (index < 0) return undefined;
    const text = plainParagraphs([this.sections[index]!, ...subsections(this.sections, index)].flatMap((s) => s.lines));
    return text || undefined;
  }

  private sectionLine(key: RegExp): number | undefined {
    return this.sections.find((s) => s.level > 0 && key.test(s.key))?.line;
  }

  /** `* [Launch event slides](/slides/x.pdf)` and `* Launch Event: https://youtube...` lines of a section. */
  private linkSection(key: RegExp): Link[] {
    const index = this.sections.findIndex((s) => s.level > 0 && key.test(s.key));
    if (index < 0) return [];
    const links: Link[] = [];
    for (const l of [this.sections[index]!, ...subsections(this.sections, index)].flatMap((s) => s.lines)) {
      const lineLabel = plainText((stripBullet(l.text) ?? l.text).replace(/\bhttps?:\/\/\S+/g, '')).replace(/[\s:–-]+$/, '');
      for (const found of findLinks(l.text)) links.push(this.link({ label: found.label || lineLabel, url: found.url }, key === KEY.slides ? 'Slides' : 'Recording'));
    }
    return links;
  }

  private link(link: Link, fallbackLabel: string): Link {
    return resolveLink(link, this.options.settings, fallbackLabel);
  }

  private place(title: string): { venue?: string; address?: string } {
    if (this.fm.venue || this.fm.address) return { venue: this.fm.venue, address: this.fm.address };
    const location = this.sections.find((s) => s.level > 0 && KEY.location.test(s.key));
    const first = location ? paragraphs(location.lines)[0] : undefined;
    if (first) {
      const line = plainText(first[0]!.text.replace(/\(\s*https?:\/\/[^)]*\)|https?:\/\/\S+/g, ''));
      const comma = line.indexOf(',');
      if (comma > 0 && /\d/.test(line.slice(comma))) return { venue: line.slice(0, comma).trim(), address: line.slice(comma + 1).trim() };
      if (line) return { venue: line };
    }
    if (/\bonline\b/i.test(title)) return {};
    const host = /\bat\s+(.+?)(?:\s+\d{4})?$/i.exec(title)?.[1];
    return host ? { venue: this.proseSpelling(host) } : {};
  }

  /** "at nordcloud" in a title, "at Nordcloud" in the prose: the prose is usually the careful spelling. */
  private proseSpelling(name: string): string {
    const wanted = name.toLowerCase();
    for (const l of this.sections[0]!.lines) {
      const at = l.text.toLowerCase().indexOf(wanted);
      const found = at >= 0 ? l.text.slice(at, at + name.length) : '';
      if (found && found !== name && /^\p{Lu}/u.test(found) && !/[\p{L}\p{N}]/u.test(l.text[at + name.length] ?? '')) return found;
    }
    return name;
  }

  /** A meeting link anywhere in the post (online events rarely say `online:` in the front matter). */
  private onlineLink(): string | undefined {
    const body = this.body;
    const meeting = /https?:\/\/(?:[\w-]+\.)?(?:zoom\.us|meet\.google\.com|teams\.microsoft\.com|teams\.live\.com|meet\.jit\.si|whereby\.com|webex\.com|bbb\.[\w.-]+)\/[^\s)>\]]*/i.exec(body);
    return meeting?.[0];
  }

  private warn(line: number | undefined, message: string): void {
    this.diagnostics.push({ file: this.options.file, line, severity: 'warning', message });
  }

  private info(line: number | undefined, message: string): void {
    this.diagnostics.push({ file: this.options.file, line, severity: 'info', message });
  }

  private error(line: number | undefined, message: string): void {
    this.diagnostics.push({ file: this.options.file, line, severity: 'error', message });
  }
}

const CANCELLED_TITLE = /^\s*[[(]?\s*cancell?ed\s*[\])]?\s*[:\-–!]*\s*/i;

interface TalkDraft extends Talk {
  parsed: TalkText;
  line: number;
}

function mergeEntry(talk: TalkDraft, entry: AbstractEntry, link: (l: Link) => Link): void {
  if (entry.abstractParagraphs.length > 0) talk.abstract = [talk.abstract, ...entry.abstractParagraphs].filter(Boolean).join('\n\n');
  talk.slides.push(...entry.slides.map(link));
  for (const s of entry.heading.speakers) {
    const existing = talk.speakers.find((t) => findKnown(t.name, [s]) || findKnown(s.name, [t]));
    if (existing) existing.company ??= s.company;
    else talk.speakers = [...talk.speakers, { ...s }];
  }
  for (const bio of entry.bios) {
    const speaker = bio.name ? talk.speakers.find((s) => findKnown(s.name, [{ name: bio.name! }]) || findKnown(bio.name!, [s])) : talk.speakers.length === 1 ? talk.speakers[0] : undefined;
    if (speaker) speaker.bio ??= bio.text;
    else if (bio.name && talk.speakers.length === 0) talk.speakers = [{ name: bio.name, company: companyFromBio(bio.text), bio: bio.text }];
  }
}

/**
 * "## Speakers" introduces someone no agenda line names, and exactly one talk has no speaker: when the bio
 * and the talk share words ("AIOps"), that is who gives it.
 */
function assignLeftoverSpeaker(talks: TalkDraft[], known: readonly KnownSpeaker[]): void {
  const isAssigned = (k: KnownSpeaker) => talks.some((t) => t.speakers.some((s) => findKnown(s.name, [k]) || findKnown(k.name, [s])));
  const left = known.filter((k) => k.bio && !isAssigned(k));
  const open = talks.filter((t) => t.speakers.length === 0 && t.kind === 'talk' && !t.parsed.everyone);
  if (left.length !== 1 || open.length !== 1) return;
  const [speaker, talk] = [left[0]!, open[0]!];
  if (similarity(speaker.bio!, `${talk.title} ${talk.abstract ?? ''}`) === 0) return;
  talk.speakers = [withCompanyFromBio({ name: withoutHonorific(speaker.name), company: speaker.company, bio: speaker.bio })];
}

function withCompanyFromBio(speaker: Speaker): Speaker {
  if (speaker.company || !speaker.bio) return speaker;
  const company = companyFromBio(speaker.bio);
  return company ? { ...speaker, company } : speaker;
}

function idOf(file: string): string {
  const parts = file.split('/');
  // A Hugo page bundle, `<name>/index.md`, is named by its folder.
  const base = /^index\.(md|markdown)$/i.test(parts.at(-1)!) && parts.length > 1 ? parts.at(-2)! : parts.at(-1)!;
  return base.replace(/\.(md|markdown|ya?ml)$/i, '');
}

function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000;
}

export { idOf };
