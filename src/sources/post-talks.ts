/**
 * A post's agenda and talks: the timed lines under the agenda heading, each a talk or a plain item (nested
 * bullets are its details), then abstracts under the talks heading matched onto the talks (or, with no talk in
 * the agenda, the headings there are the talks). Speakers and companies come from talk lines and headings only.
 */
import type { AgendaItem, Link } from '../catalogue/event';
import { durationItems, parseAgendaLines, type AgendaLine } from './agenda';
import { readItemDetails } from './agenda-details';
import { parseAgendaDays } from './agenda-days';
import { abstractEntriesFromBullets, abstractEntriesFromSections, talkEntriesFromBullets, type AbstractEntry } from './abstracts';
import { matchEntries } from './abstract-match';
import type { Diagnostic } from './diagnostics';
import type { RawLink } from './links';
import { paragraphs, plainParagraphs, plainText, sectionKey, stripBullet, subsections, type Section, type SourceLine } from './markdown-text';
import type { HeadingKind, Profile } from './profile';
import { completeSpeaker, looksLikePerson, parseSpeakerList, type KnownSpeaker } from './speakers';
import { assignLeftoverSpeaker, mergeEntry, type TalkDraft } from './talk-merge';
import { bylineAlone, isNonTalk, isTalk, parseTalkText } from './talk-text';
import { addDays, atWallTime, type CalendarDate } from './time';

export interface PostContext {
  file: string;
  zone: string;
  sections: Section[];
  profile: Profile;
  diagnostics: Diagnostic[];
  /** A checked link resolved against the event page, or undefined when it cannot be shown. */
  link: (link: RawLink, fallbackLabel: string) => Link | undefined;
}

export class PostTalks {
  private readonly zone: string;

  constructor(private readonly ctx: PostContext) {
    this.zone = ctx.zone;
  }

  private is(kind: HeadingKind, section: Section): boolean {
    return this.ctx.profile.headings[kind].test(section.key);
  }

  private warn(line: number | undefined, message: string): void {
    this.ctx.diagnostics.push({ file: this.ctx.file, line, severity: 'warning', message });
  }

  private info(line: number | undefined, message: string): void {
    this.ctx.diagnostics.push({ file: this.ctx.file, line, severity: 'info', message });
  }

  /**
   * The lines under the agenda heading; without one, the front matter's agenda (the profile's `frontMatter.agenda`,
   * one item per entry), a timed bullet list in the opening prose ("The program for the evening is:" then
   * "- 18:05 - 18:15: Welcome"), or a timed list of two items or more under any heading ("## Demandez le programme !").
   */
  agendaLines(front?: { items: string[]; line?: number }): AgendaLine[] {
    const index = this.ctx.sections.findIndex((s) => this.is('agenda', s));
    if (index >= 0) {
      const agenda = [this.ctx.sections[index]!, ...subsections(this.ctx.sections, index)];
      const headed = timedHeadings(agenda);
      if (headed) return this.readAgenda(headed);
      const days = this.report(parseAgendaDays(agenda, this.ctx.profile.languages));
      // "- 25-30 minutes: rétrospective": a programme of lengths, kept as untimed items.
      return days.length > 0 ? days : (durationItems(agenda.flatMap((s) => s.lines)) ?? []);
    }
    if (front && front.items.length > 0) return this.readAgenda(front.items.map((text) => ({ text: `- ${text}`, line: front.line ?? 1, item: true, depth: 1 })));
    const listed = (sections: Section[]) => sections.flatMap((s) => s.lines).filter((l) => l.code || stripBullet(l.text) !== undefined || l.text.trim() === '');
    const timed = (lines: SourceLine[]) => parseAgendaLines(lines).items.filter((item) => item.time).length;
    const opening = listed(this.ctx.sections.filter((s) => s.level <= 1));
    if (timed(opening) === 0) {
      const others = this.ctx.sections.filter((s) => s.level > 1 && !this.is('talks', s)).map((s) => listed([s]));
      const other = others.find((lines) => timed(lines) >= 2);
      if (other) return this.readAgenda(other);
      const durations = others.map(durationItems).find((items) => items !== undefined);
      if (durations) return durations;
    }
    return this.readAgenda(opening);
  }

  private readAgenda(lines: readonly SourceLine[]): AgendaLine[] {
    return this.report(parseAgendaLines(lines));
  }

  private report({ items, problems }: ReturnType<typeof parseAgendaLines>): AgendaLine[] {
    for (const p of problems) this.ctx.diagnostics.push({ file: this.ctx.file, line: p.line, severity: p.severity, message: p.message });
    return items;
  }

  agendaAndTalks(lines: AgendaLine[], date: CalendarDate, known: KnownSpeaker[]): { agenda: AgendaItem[]; talks: TalkDraft[] } {
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
      const slides = details.slides.flatMap((l) => this.ctx.link(l, 'Slides') ?? []);
      const abstract = details.description.join('\n\n') || undefined;
      const talk: TalkDraft = { parsed, title: parsed.title, speakers: parsed.speakers, kind: parsed.kind, slides, start, line: line.line, ...(abstract ? { abstract } : {}) };
      agenda.push({ start, title: parsed.label && parsed.label !== parsed.title ? `${parsed.label}: ${parsed.title}` : parsed.title, talkIndex: talks.length });
      talks.push(talk);
    }
    return { agenda, talks };
  }

  /** People under "Speakers": listed in its lines, or one heading each below it (a card per speaker). */
  knownSpeakers(): KnownSpeaker[] {
    return this.ctx.sections.flatMap((s, i) => {
      if (s.level === 0 || !this.is('speakers', s)) return [];
      const people = subsections(this.ctx.sections, i)
        .filter((sub) => looksLikePerson(sub.title))
        .map((sub) => ({ name: sub.title, bio: plainParagraphs(sub.lines) || undefined }));
      return [...parseSpeakerList(s.lines), ...people];
    });
  }

  /** Abstracts, bios and slides onto their talks; returns slides of entries that match no talk (kick-off decks). */
  attachAbstracts(talks: TalkDraft[], known: KnownSpeaker[]): Link[] {
    const entries = this.abstractEntries(talks, known);
    // No talk in the agenda (or no agenda): the headings under "Talks" are the talks, in their order.
    if (talks.length === 0) talks.push(...talksFromEntries(entries));
    // Nor a talks heading: a heading whose first line is "by Name" (`## Title` then `by [Rob Ede](…)`) is a talk.
    if (talks.length === 0 && entries.length === 0) {
      const bylined = this.ctx.sections.filter((s) => s.level > 0 && bylineAlone(plainText(s.lines.find((l) => l.text.trim() !== '')?.text ?? '')) !== undefined);
      entries.push(...abstractEntriesFromSections(bylined, known));
      talks.push(...talksFromEntries(entries));
    }
    const matches = matchEntries(entries, talks.map((t) => ({ title: t.title, number: t.parsed.number })));
    const eventSlides: Link[] = [];
    entries.forEach((entry, i) => {
      const index = matches[i];
      if (index === undefined) {
        eventSlides.push(...entry.slides.flatMap((s) => this.ctx.link(s, 'Slides') ?? []));
        this.reportUnmatched(entry);
        return;
      }
      mergeEntry(talks[index]!, entry, (l) => this.ctx.link(l, 'Slides'));
    });
    for (const talk of talks) talk.speakers = talk.speakers.map((s) => completeSpeaker(s, known));
    assignLeftoverSpeaker(talks, known);
    return eventSlides;
  }

  private abstractEntries(talks: TalkDraft[], known: KnownSpeaker[]): AbstractEntry[] {
    const entries: AbstractEntry[] = [];
    this.ctx.sections.forEach((section, index) => {
      if (section.level === 0 || !this.ctx.profile.talksAnywhere.test(section.key)) return;
      const children = subsections(this.ctx.sections, index);
      entries.push(...abstractEntriesFromSections(children, known));
      const ownBullets = section.lines.some((l) => stripBullet(l.text) !== undefined);
      const bold = ownBullets || children.length > 0 ? [] : boldHeaded(section);
      if (ownBullets && talks.length === 0 && this.is('talks', section)) entries.push(...talkEntriesFromBullets(section.lines, known));
      else if (ownBullets) entries.push(...abstractEntriesFromBullets(section.lines, talks.map((t) => t.title), known));
      else if (bold.length > 0) entries.push(...abstractEntriesFromSections(bold, known));
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
}

function talksFromEntries(entries: readonly AbstractEntry[]): TalkDraft[] {
  return entries
    .filter((e) => e.heading.title !== '' && e.heading.number === undefined && !isNonTalk(e.heading.title) && (e.heading.speakers.length > 0 || e.abstractParagraphs.length > 0))
    .map((e) => ({ parsed: e.heading, title: e.heading.title, speakers: [], kind: e.heading.kind, slides: [], line: e.line }));
}

/**
 * An agenda written as one heading per item (`### 19:00 – Running Kafka`, then `**Speaker:** ...` and its
 * abstract): each timed heading reads as an item and the lines under it as its details, when the agenda's own
 * lines hold no times and at least two of its headings do.
 */
function timedHeadings(agenda: readonly Section[]): SourceLine[] | undefined {
  const [own, ...items] = agenda;
  const timed = (lines: SourceLine[]) => parseAgendaLines(lines).items.filter((item) => item.time).length;
  const asItem = (s: Section): SourceLine => ({ text: `- ${s.title}`, line: s.line, item: true, depth: 1 });
  if (items.length < 2 || timed(own!.lines) > 0 || timed(items.map(asItem)) < 2) return undefined;
  return items.flatMap((s) => [asItem(s), ...s.lines.filter((l) => l.text.trim() !== '').map((l) => ({ ...l, depth: 2 }))]);
}

/** A paragraph's first line that is a bold title, alone or with its speakers: "**Scaling Postgres** by Jane Doe". */
const BOLD_TITLE_LINE = /^(?:\*\*|__)[^*_]+(?:\*\*|__)(?:\s*$|\s+(?:by|von|par|door|por|af|przez)\s|\s*[-–—(])/i;

/**
 * Talks written as paragraphs under the talks heading, each led by a bold title line (no `###` headings, no
 * bullets): each such line and the paragraphs after it, up to the next, read as one talk's heading and text.
 */
function boldHeaded(section: Section): Section[] {
  const headed: Section[] = [];
  for (const paragraph of paragraphs(section.lines)) {
    const first = paragraph[0]!;
    if (BOLD_TITLE_LINE.test(first.text.trim())) {
      const title = plainText(first.text);
      headed.push({ level: section.level + 1, title, key: sectionKey(title), line: first.line, lines: paragraph.slice(1) });
    } else if (headed.length > 0) {
      headed.at(-1)!.lines.push({ text: '', line: first.line }, ...paragraph);
    }
  }
  return headed;
}
