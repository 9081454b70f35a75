import type { AgendaItem, Link, MeetupEvent, Speaker, Talk } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import { NO_LOOKUPS, resolveId, type Lookups } from './lookups';
import { parseAgendaLines, type AgendaLine } from './agenda';
import { tooLarge, type Diagnostic } from './diagnostics';
import { readFrontMatter, type FrontMatter } from './front-matter';
import { findLinks, paragraphs, plainParagraphs, plainText, stripBullet, subsections, type Section, type SourceLine } from './markdown-text';
import { parseSections } from './markdown-tree';
import { findProseDate, type ProseDate } from './prose-date';
import { safeUrl, type SafeUrl } from '../catalogue/safe-url';
import { eventUrl, resolveLink, type RawLink } from './links';
import { toEventRsvp } from './rsvp-fields';
import { completeSpeaker, looksLikePerson, parseSpeakerList, type KnownSpeaker } from './speakers';
import { assignLeftoverSpeaker, mergeEntry, type TalkDraft } from './talk-merge';
import { readItemDetails } from './agenda-details';
import { abstractEntriesFromBullets, abstractEntriesFromSections, isNonTalk, isTalk, matchEntries, parseTalkText, similarity, type AbstractEntry, type TalkText } from './talks';
import { explicitTimes, meetupDay, meetupEnd, startAt, startTime, type DateContext } from './post-dates';
import { resolveProfile, type HeadingKind, type Profile } from './profile';
import { addDays, atWallTime, parseWallDateTime, type CalendarDate, type WallDateTime } from './time';

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
  /** Names for the ids posts use (speakers/<id>.yaml); none when the profile has no lookups. */
  lookups?: Lookups;
}

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
  const front = readFrontMatter(text, file, resolveProfile(options.settings));
  const diagnostics: Diagnostic[] = [...(textProblem ? [textProblem] : []), ...front.diagnostics];
  if (!front.data || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  if (front.data.draft === true) {
    diagnostics.push({ file, line: front.keyLine('draft'), severity: 'info', message: 'Draft (`draft: true`): not shown or announced until it is set to false.' });
    return { diagnostics, draft: true };
  }
  const lookups = options.lookups ?? NO_LOOKUPS;
  const profile = resolveProfile(options.settings);
  const shortcodes = { texts: profile.shortcodes, resolve: (v: string) => lookups.speakers.get(v) ?? lookups.venues.get(v) ?? v };
  const post = new PostReader(front.data, front.body, parseSections(front.body, front.bodyLine, file, diagnostics, shortcodes), options, diagnostics, front.keyLine);
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


/** Reads one post's sections into an event; owns the diagnostics for this file while doing so. */
class PostReader {
  private readonly zone: string;
  private readonly profile: Profile;

  constructor(
    private readonly fm: FrontMatter,
    private readonly body: string,
    private readonly sections: Section[],
    private readonly options: ParseOptions,
    private readonly diagnostics: Diagnostic[],
    private readonly keyLine: (key: string) => number | undefined,
  ) {
    this.zone = options.settings.timeZone;
    this.profile = resolveProfile(options.settings);
  }

  /** The front matter title, else (posts without front matter) the first top-level heading. */
  private title(): string | undefined {
    if (this.fm.title) return plainText(this.fm.title);
    const heading = this.sections.find((s) => s.level === 1) ?? this.sections.find((s) => s.level > 0);
    if (heading?.title) return heading.title;
    this.diagnostics.push({ file: this.options.file, line: 1, severity: 'error', message: 'No title: start the post with a `# Title` line, or add `title: ...` to the front matter.' });
    return undefined;
  }

  private dateContext(): DateContext {
    return { file: this.options.file, zone: this.zone, profile: this.profile, fieldLine: this.keyLine, diagnostics: this.diagnostics };
  }

  read(): MeetupEvent | undefined {
    const title = this.title();
    if (title === undefined) return undefined;
    const ctx = this.dateContext();
    const published = this.fm.published ? parseWallDateTime(this.fm.published, this.zone) : undefined;
    const explicit = explicitTimes(this.fm, ctx);
    const known = this.knownSpeakers();
    const agendaLines = this.agendaLines();
    const prose = this.proseDate(published);

    const day = meetupDay(explicit, prose, published, ctx);
    if (!day) return undefined;
    const start = startAt(day, startTime(explicit, agendaLines, prose, ctx, this.sectionLine('agenda')), ctx);
    const { agenda, talks } = this.agendaAndTalks(agendaLines, day.date, known);
    const end = meetupEnd(explicit, prose, agenda, start, day.date, ctx);
    const eventSlides = this.attachAbstracts(talks, known);
    const id = idOf(this.options.file);
    const cancelledTitle = this.profile.cancelledTitle;
    const cancelled = this.fm.cancelled === true || this.fm.status === 'cancelled' || cancelledTitle.test(title);
    const place = this.place(title);

    return {
      id,
      title: title.replace(cancelledTitle, '').trim() || title,
      summary: this.summary(),
      start,
      end,
      dateSource: day.source,
      venue: place.venue,
      address: place.address,
      online: this.fm.online ?? this.onlineLink() ?? this.profile.onlineLink ?? (this.meetsOnline(title, place) ? this.pageUrl() : undefined),
      agenda,
      talks: talks.map(({ parsed: _parsed, line: _line, ...talk }) => talk),
      cfp: this.sectionText('cfp'),
      slides: [...eventSlides, ...this.linkSection('slides')],
      recordings: this.linkSection('recordings'),
      url: this.pageUrl(),
      status: cancelled ? 'cancelled' : 'scheduled',
      rsvp: toEventRsvp(this.fm.rsvp, this.zone),
      ...(day.toBeConfirmed ? { dateToBeConfirmed: true } : {}),
      source: { file: this.options.file, publishedAt: published?.time ? atWallTime(published.date, published.time, this.zone) : published ? atWallTime(published.date, { hour: 0, minute: 0 }, this.zone) : undefined },
    };
  }

  private proseDate(published: WallDateTime | undefined): ProseDate | undefined {
    const lines: SourceLine[] = [];
    this.sections.forEach((s, i) => {
      if (i === 0 || s.level === 1 || this.is('location', s) || this.is('when', s)) lines.push(...s.lines);
    });
    return findProseDate(lines, published?.date, this.profile.languages);
  }

  // ----- agenda and talks ------------------------------------------------------------------------------------

  /**
   * The lines under the agenda heading; without one, a timed bullet list in the opening prose ("The program for
   * the evening is:" followed by "- 18:05 - 18:15: Welcome").
   */
  private agendaLines(): AgendaLine[] {
    const index = this.sections.findIndex((s) => this.is('agenda', s));
    const lines = index >= 0
      ? [this.sections[index]!, ...subsections(this.sections, index)].flatMap((s) => s.lines)
      : this.sections.filter((s) => s.level <= 1).flatMap((s) => s.lines).filter((l) => l.code || stripBullet(l.text) !== undefined || l.text.trim() === '');
    const { items, problems } = parseAgendaLines(lines);
    for (const p of problems) this.diagnostics.push({ file: this.options.file, line: p.line, severity: p.severity, message: p.message });
    return items;
  }

  private agendaAndTalks(lines: AgendaLine[], date: CalendarDate, known: KnownSpeaker[]): { agenda: AgendaItem[]; talks: TalkDraft[] } {
    const agenda: AgendaItem[] = [];
    const talks: TalkDraft[] = [];
    for (const line of lines) {
      const start = line.time ? atWallTime(addDays(date, line.dayOffset), line.time, this.zone) : undefined;
      const parsed = parseTalkText(line.text, known);
      const details = readItemDetails(line.details, known);
      if (parsed.speakers.length === 0 && details.speakers.length > 0 && !isNonTalk(parsed.title)) parsed.speakers = details.speakers;
      if (!isTalk(parsed)) {
        agenda.push({ start, title: plainText(line.text) });
        continue;
      }
      const slides = details.slides.flatMap((l) => this.link(l, 'Slides') ?? []);
      const abstract = details.description.join('\n\n') || undefined;
      const talk: TalkDraft = { parsed, title: parsed.title, speakers: parsed.speakers, kind: parsed.kind, slides, start, line: line.line, ...(abstract ? { abstract } : {}) };
      agenda.push({ start, title: parsed.label && parsed.label !== parsed.title ? `${parsed.label}: ${parsed.title}` : parsed.title, talkIndex: talks.length });
      talks.push(talk);
    }
    return { agenda, talks };
  }

  /** People under "Speakers": listed in its lines, or one heading each below it (a card per speaker). */
  private knownSpeakers(): KnownSpeaker[] {
    return this.sections.flatMap((s, i) => {
      if (s.level === 0 || !this.is('speakers', s)) return [];
      const people = subsections(this.sections, i)
        .filter((sub) => looksLikePerson(sub.title))
        .map((sub) => ({ name: sub.title, bio: plainParagraphs(sub.lines) || undefined }));
      return [...parseSpeakerList(s.lines), ...people];
    });
  }

  /** Abstracts, bios and slides onto their talks; returns slides of entries that match no talk (kick-off decks). */
  private attachAbstracts(talks: TalkDraft[], known: KnownSpeaker[]): Link[] {
    const entries = this.abstractEntries(talks, known);
    // No talk in the agenda (or no agenda): the headings under "Talks" are the talks, in their order.
    if (talks.length === 0) talks.push(...talksFromEntries(entries));
    const matches = matchEntries(entries, talks.map((t) => ({ title: t.title, number: t.parsed.number })));
    const eventSlides: Link[] = [];
    entries.forEach((entry, i) => {
      const index = matches[i];
      if (index === undefined) {
        eventSlides.push(...entry.slides.flatMap((s) => this.link(s, 'Slides') ?? []));
        this.reportUnmatched(entry);
        return;
      }
      mergeEntry(talks[index]!, entry, (l) => this.link(l, 'Slides'));
    });
    for (const talk of talks) talk.speakers = talk.speakers.map((s) => completeSpeaker(s, known));
    assignLeftoverSpeaker(talks, known);
    return eventSlides;
  }

  private abstractEntries(talks: TalkDraft[], known: KnownSpeaker[]): AbstractEntry[] {
    const entries: AbstractEntry[] = [];
    this.sections.forEach((section, index) => {
      if (section.level === 0 || !this.profile.talksAnywhere.test(section.key)) return;
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
      this.warn(entry.line, heading ? `"${heading}" matches no talk in the agenda, so its abstract is not shown: use the talk's title from the agenda (or "Talk N") as the heading.` : 'This abstract matches no talk in the agenda, so it is not shown: start it with the talk\'s title and a colon.');
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

  private sectionText(kind: HeadingKind): string | undefined {
    const index = this.sections.findIndex((s) => s.level > 0 && this.is(kind, s));
    if (index < 0) return undefined;
    const text = plainParagraphs([this.sections[index]!, ...subsections(this.sections, index)].flatMap((s) => s.lines));
    return text || undefined;
  }

  private sectionLine(kind: HeadingKind): number | undefined {
    return this.sections.find((s) => s.level > 0 && this.is(kind, s))?.line;
  }

  private is(kind: HeadingKind, section: Section): boolean {
    return this.profile.headings[kind].test(section.key);
  }

  /** `* [Launch event slides](/slides/x.pdf)` and `* Launch Event: https://youtube...` lines of a section. */
  private linkSection(kind: 'slides' | 'recordings'): Link[] {
    const index = this.sections.findIndex((s) => s.level > 0 && this.is(kind, s));
    if (index < 0) return [];
    const links: Link[] = [];
    for (const l of [this.sections[index]!, ...subsections(this.sections, index)].flatMap((s) => s.lines)) {
      const lineLabel = plainText((stripBullet(l.text) ?? l.text).replace(/\bhttps?:\/\/\S+/g, '')).replace(/[\s:–-]+$/, '');
      for (const found of findLinks(l.text)) links.push(...[this.link({ label: found.label || lineLabel, url: found.url }, kind === 'slides' ? 'Slides' : 'Recording')].filter((x) => x !== undefined));
    }
    return links;
  }

  /** A checked link, or undefined when the target is not http(s)/mailto or a site path (see safe-url.ts). */
  private link(link: RawLink, fallbackLabel: string): Link | undefined {
    return resolveLink(link, this.options.settings, fallbackLabel, this.pageUrl());
  }

  /** The event's page: the front matter's URL, else the settings' pattern; relative links resolve against it. */
  private pageUrl(): SafeUrl | undefined {
    return safeUrl(this.fm.url, this.options.settings.website) ?? eventUrl(this.options.settings, idOf(this.options.file));
  }

  /**
   * A meetup without a venue whose title or location says it is online ("SRE Munich Spring Online Event 2020",
   * `## Location` "Online"): online even when the post has no meeting link yet.
   */
  private meetsOnline(title: string, place: { venue?: string; address?: string }): boolean {
    if (place.venue || place.address) return false;
    const location = this.sections.find((s) => s.level > 0 && this.is('location', s));
    const where = location ? plainParagraphs(location.lines) : '';
    return this.profile.onlineWords.test(title) || this.profile.onlineWords.test(where.slice(0, 80));
  }

  private place(title: string): { venue?: string; address?: string } {
    if (this.fm.venue || this.fm.address) return { venue: this.fm.venue && resolveId((this.options.lookups ?? NO_LOOKUPS).venues, this.fm.venue), address: this.fm.address };
    const location = this.sections.find((s) => s.level > 0 && this.is('location', s));
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

function talksFromEntries(entries: readonly AbstractEntry[]): TalkDraft[] {
  return entries
    .filter((e) => e.heading.title !== '' && e.heading.number === undefined && !isNonTalk(e.heading.title) && (e.heading.speakers.length > 0 || e.abstractParagraphs.length > 0))
    .map((e) => ({ parsed: e.heading, title: e.heading.title, speakers: [], kind: e.heading.kind, slides: [], line: e.line }));
}

function idOf(file: string): string {
  const parts = file.split('/');
  // A Hugo page bundle, `<name>/index.md`, is named by its folder.
  const base = /^index\.(md|markdown)$/i.test(parts.at(-1)!) && parts.length > 1 ? parts.at(-2)! : parts.at(-1)!;
  return base.replace(/\.(md|markdown|ya?ml)$/i, '');
}


export { idOf };
