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
import { NO_LOOKUPS } from './lookups';
import type { ParseOptions } from './markdown';
import { findLinks, paragraphs, plainParagraphs, plainText, stripBullet, subsections, type Section, type SourceLine } from './markdown-text';
import { explicitTimes, hasExplicitTime, meetupDay, meetupEnd, onLastDay, startAt, startTime, type DateContext, type ExplicitTimes } from './post-dates';
import { PostPlace } from './post-place';
import { PostTalks } from './post-talks';
import { firstValue, resolveProfile, type HeadingKind, type Profile } from './profile';
import { completeOneTalk } from './post-talk';
import { talksFromRecords } from './record-talks';
import type { TalkDraft } from './talk-merge';
import { findProseDate, type ProseDate, type ProseTimes } from './prose-date';
import { findProseTime } from './prose-time';
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

  /** `talks: [{ title, speaker(s), abstract }]` in the front matter, read with the profile's data-file talk keys. */
  private frontMatterTalks(): TalkDraft[] {
    const found = firstValue(this.fm.raw, this.profile.frontMatter.talks);
    if (!found) return [];
    const line = this.keyLine(found.path) ?? 1;
    return talksFromRecords(found.value, this.profile.dataFields, this.profile, this.options.lookups ?? NO_LOOKUPS).map((talk) => ({
      ...talk,
      line,
      parsed: { title: talk.title, kind: talk.kind, speakers: talk.speakers, labelled: true, everyone: false },
    }));
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
    const times = this.proseTimes(prose, explicit, agendaLines);
    const start = startAt(day, startTime(explicit, agendaLines, times, ctx, this.sectionLine('agenda')), ctx);
    const { agenda, talks } = this.talks.agendaAndTalks(agendaLines, day.date, known);
    // Talks listed in the front matter (the profile's `frontMatter.talks`), when the text names none.
    if (talks.length === 0) talks.push(...this.frontMatterTalks());
    const lastDay = prose?.lastDay && day.source === 'prose' ? prose.lastDay : undefined;
    const end = onLastDay(meetupEnd(explicit, times, agenda, agendaLines, start, day.date, ctx), lastDay, ctx);
    const eventSlides = this.talks.attachAbstracts(talks, known);
    completeOneTalk(talks, agenda, title.replace(this.profile.cancelledTitle, '').trim() || title, firstValue(this.fm.raw, this.profile.frontMatter.speakers)?.value, this.proseParagraphs());
    const id = idOf(this.options.file);
    const cancelledTitle = this.profile.cancelledTitle;
    const cancelled = this.fm.cancelled === true || this.fm.status === 'cancelled' || cancelledTitle.test(title);
    const place = new PostPlace(this.fm, this.body, this.sections, this.profile, this.options.lookups).where(title, this.pageUrl(), this.announcement().flatMap((s) => s.lines));

    return {
      id,
      title: title.replace(cancelledTitle, '').trim() || title,
      summary: this.summary(),
      start,
      end,
      dateSource: day.source,
      venue: place.venue,
      address: place.address,
      online: place.online,
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

  /** The announcement's own prose: before any heading, under the top heading, and under a when or location heading. */
  private announcement(): Section[] {
    return this.sections.filter((s, i) => i === 0 || s.level === 1 || this.is('when', s) || this.is('location', s));
  }

  private proseDate(published: WallDateTime | undefined): ProseDate | undefined {
    // "## Next meetup: Tuesday, March 12th at 7pm": a when heading may hold the date itself.
    const lines = this.announcement().flatMap((s): SourceLine[] => (this.is('when', s) ? [{ text: s.title, line: s.line }, ...s.lines] : s.lines));
    return findProseDate(lines, published?.date, this.profile.languages);
  }

  /**
   * The times the prose gives: beside its date, else (a date from the front matter or the path, and no time in
   * the fields or the agenda) the first time of day in the announcement's paragraphs ("Nous vous accueillerons à
   * partir de 19h"), never one in a talk's abstract, a speaker's bio or the call for talks.
   */
  private proseTimes(prose: ProseDate | undefined, explicit: ExplicitTimes, agendaLines: readonly { time?: unknown; dayOffset: number }[]): ProseTimes | undefined {
    if (prose?.start || hasExplicitTime(explicit) || agendaLines.some((a) => a.time && a.dayOffset === 0)) return prose;
    const skipped = new Set<number>();
    this.sections.forEach((s, i) => {
      if (s.level > 0 && (['talks', 'speakers', 'cfp', 'slides', 'recordings'] as const).some((kind) => this.is(kind, s))) {
        skipped.add(i);
        for (const sub of subsections(this.sections, i)) skipped.add(this.sections.indexOf(sub));
      }
    });
    const lines = this.sections.filter((_, i) => !skipped.has(i)).flatMap((s) => s.lines).filter((l) => stripBullet(l.text) === undefined);
    return findProseTime(lines, this.profile.languages) ?? prose;
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
}

export function idOf(file: string): string {
  const parts = file.split('/');
  // A Hugo page bundle, `<name>/index.md`, and a folder's `README.md` (a page per city or meetup) are named by the folder.
  const base = /^(?:index|readme)\.(md|markdown)$/i.test(parts.at(-1)!) && parts.length > 1 ? parts.at(-2)! : parts.at(-1)!;
  return base.replace(/\.(md|markdown|ya?ml)$/i, '');
}
