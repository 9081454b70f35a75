/**
 * One post's front matter and sections read into a MeetupEvent: title, date and times (post-dates.ts), agenda
 * and talks (post-talks.ts), place, online link, summary, slides and recordings, the event page. Owns the
 * diagnostics for the file while doing so.
 */
import type { Link, MeetupEvent } from '../catalogue/event';
import { safeUrl, type SafeUrl } from '../catalogue/safe-url';
import type { Diagnostic } from './diagnostics';
import type { FrontMatter } from './front-matter';
import { eventUrl, resolveLink, type RawLink } from './links';
import { NO_LOOKUPS, resolveId } from './lookups';
import type { ParseOptions } from './markdown';
import { findLinks, paragraphs, plainParagraphs, plainText, sectionKey, stripBullet, subsections, type Section, type SourceLine } from './markdown-text';
import { explicitTimes, meetupDay, meetupEnd, startAt, startTime, type DateContext } from './post-dates';
import { PostTalks } from './post-talks';
import { firstValue, resolveProfile, valueAt, type HeadingKind, type Profile } from './profile';
import { completeOneTalk } from './post-talk';
import { findProseDate, type ProseDate } from './prose-date';
import { placeAgendaDays } from './agenda-days';
import { toEventRsvp } from './rsvp-fields';
import { atWallTime, parseWallDateTime, type WallDateTime } from './time';

/** Reads one post's sections into an event; owns the diagnostics for this file while doing so. */
export class PostReader {
  private readonly zone: string;
  private readonly profile: Profile;
  private readonly talks: PostTalks;

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
    this.talks = new PostTalks({ file: options.file, zone: this.zone, sections, profile: this.profile, diagnostics, link: (l, label) => this.link(l, label) });
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
    const known = this.talks.knownSpeakers();
    const frontAgenda = firstValue(this.fm.raw, this.profile.frontMatter.agenda);
    const agendaItems = frontAgenda && (Array.isArray(frontAgenda.value) ? frontAgenda.value : String(frontAgenda.value).split('\n')).filter((v): v is string => typeof v === 'string');
    const agendaLines = this.talks.agendaLines(agendaItems ? { items: agendaItems, line: this.keyLine(frontAgenda!.path) } : undefined);
    const prose = this.proseDate(published);

    const day = meetupDay(explicit, prose, published, ctx);
    if (!day) return undefined;
    placeAgendaDays(agendaLines, day.date, this.profile.languages);
    const start = startAt(day, startTime(explicit, agendaLines, prose, ctx, this.sectionLine('agenda')), ctx);
    const { agenda, talks } = this.talks.agendaAndTalks(agendaLines, day.date, known);
    const end = meetupEnd(explicit, prose, agenda, agendaLines, start, day.date, ctx);
    const eventSlides = this.talks.attachAbstracts(talks, known);
    completeOneTalk(talks, agenda, title.replace(this.profile.cancelledTitle, '').trim() || title, firstValue(this.fm.raw, this.profile.frontMatter.speakers)?.value, this.proseParagraphs());
    const id = idOf(this.options.file);
    const cancelledTitle = this.profile.cancelledTitle;
    const cancelled = this.fm.cancelled === true || this.fm.status === 'cancelled' || cancelledTitle.test(title);
    const onlineVenue = this.onlineVenue();
    const place = onlineVenue ? {} : this.place(title);

    return {
      id,
      title: title.replace(cancelledTitle, '').trim() || title,
      summary: this.summary(),
      start,
      end,
      dateSource: day.source,
      venue: place.venue,
      address: place.address,
      online: this.fm.online ?? onlineVenue?.link ?? (this.fm.meetsOnline === false ? undefined : this.onlineLink() ?? this.profile.onlineLink ?? (this.fm.meetsOnline || onlineVenue || this.meetsOnline(title, place) ? this.pageUrl() : undefined)),
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
      // "## Next meetup: Tuesday, March 12th at 7pm": a when heading may hold the date itself.
      if (this.is('when', s)) lines.push({ text: s.title, line: s.line });
      if (i === 0 || s.level === 1 || this.is('location', s) || this.is('when', s)) lines.push(...s.lines);
    });
    return findProseDate(lines, published?.date, this.profile.languages);
  }

  // ----- text, places and links ------------------------------------------------------------------------------

  private summary(): string | undefined {
    for (const p of paragraphs(this.sections[0]!.lines)) {
      const text = plainText(p.map((l) => l.text).join(' '));
      if (text !== '') return text;
    }
    return undefined;
  }

  /** The post's paragraphs before any heading and under its top heading, as plain text. */
  private proseParagraphs(): string[] {
    return this.sections.filter((s) => s.level <= 1).flatMap((s) => paragraphs(s.lines)).map((p) => plainText(p.map((l) => l.text).join(' '))).filter(Boolean);
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

  /** "👉 en ligne sur Discord 👈" as the venue: online, at the venue's own link (`location.url` beside `location.name`). */
  private onlineVenue(): { link?: string } | undefined {
    const venue = this.fm.venue;
    if (!venue || this.fm.address || /\d/.test(venue) || !this.profile.onlineWords.test(venue)) return undefined;
    const path = firstValue(this.fm.raw, this.profile.frontMatter.venue)?.path;
    const link = path?.includes('.') ? valueAt(this.fm.raw, path.replace(/[^.]+$/, 'url')) : undefined;
    return { link: typeof link === 'string' && /^https?:\/\//.test(link) ? link : undefined };
  }

  private place(title: string): { venue?: string; address?: string } {
    if (this.fm.venue || this.fm.address) return { venue: this.fm.venue && resolveId((this.options.lookups ?? NO_LOOKUPS).venues, this.fm.venue), address: this.fm.address };
    const location = this.sections.find((s) => s.level > 0 && this.is('location', s));
    const first = location ? paragraphs(location.lines)[0] : this.labelledLocation();
    if (first) {
      // "This meetup will be held at the ORBIT Lab, Finlandsgade 20 in Aarhus. Please …": the place, not the sentence.
      const line = plainText(first[0]!.text.replace(/\(\s*https?:\/\/[^)]*\)|https?:\/\/\S+/g, ''))
        .split(/(?<=[a-z0-9)])\.\s+(?=\p{Lu})/u)[0]!
        .replace(/^(?:this|the)\s+(?:meetup|event)\s+(?:will\s+be\s+|is\s+)?(?:held\s+|hosted\s+)?(?:at|in|by)\s+(?:the\s+)?/i, '')
        .replace(/\.$/, '')
        .trim();
      // "Lind Capital at Mariane Thomsens Gade 2F, 9th floor": the host, then where it is.
      const at = /^(\D+?)\s+at\s+(.*\d.*)$/.exec(line);
      if (at) return { venue: at[1]!.trim(), address: at[2]!.trim() };
      const comma = line.indexOf(',');
      // "Margrethepladsen 4, 3, 8000 Aarhus": a street first is an address, not a venue's name.
      if (comma > 0 && /\d/.test(line.slice(comma)) && !/\d/.test(line.slice(0, comma))) return { venue: line.slice(0, comma).trim(), address: line.slice(comma + 1).trim() };
      if (line) return { venue: line };
    }
    if (/\bonline\b/i.test(title)) return {};
    const host = /\bat\s+(.+?)(?:\s+\d{4})?$/i.exec(title)?.[1];
    return host ? { venue: this.proseSpelling(host) } : {};
  }

  /** "Location: Example GmbH, Hauptstraße 1" or "**Ort:** ..." on a line of its own: read like a location section. */
  private labelledLocation(): SourceLine[] | undefined {
    for (const section of this.sections) {
      for (const l of section.lines) {
        const m = /^(?:[-*+]\s+)?(?:\*\*|__)?([\p{L} ]{2,20}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)?\s*:)\s*(\S.*)$/u.exec(l.text.trim());
        if (m && this.profile.headings.location.test(sectionKey(m[1]!))) return [{ text: m[2]!, line: l.line }];
      }
    }
    return undefined;
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
}

export function idOf(file: string): string {
  const parts = file.split('/');
  // A Hugo page bundle, `<name>/index.md`, and a folder's `README.md` (a page per city or meetup) are named by the folder.
  const base = /^(?:index|readme)\.(md|markdown)$/i.test(parts.at(-1)!) && parts.length > 1 ? parts.at(-2)! : parts.at(-1)!;
  return base.replace(/\.(md|markdown|ya?ml)$/i, '');
}
