/**
 * Abstracts under a post's talks heading: one entry per `### Title` (with its speaker subheadings) or per
 * `* Title: ...` bullet, holding the abstract paragraphs, bios and slides it gives one talk.
 */
import { findLinks, paragraphs, plainText, stripBullet, type MarkdownLink, type Section, type SourceLine } from './markdown-text';
import { findKnown, leadingName, looksLikePerson, type KnownSpeaker } from './speakers';
import { similarity } from './abstract-match';
import { labelledSpeakers } from './agenda-details';
import { bylineAlone, isTalk, parseTalkText, type TalkText } from './talk-text';

/** One `### ...` under `## Abstracts` (or one `* Title: ...` bullet): what it says about one talk. */
export interface AbstractEntry {
  heading: TalkText;
  line: number;
  abstractParagraphs: string[];
  bios: { name?: string; text: string }[];
  /** As written: checked and resolved (or dropped) when merged onto a talk. */
  slides: MarkdownLink[];
}

const SKIPPED_SUBSECTIONS = /^(?:photos?|pictures|images|gallery|legal|location|recordings?|videos?|participation)\b/;

/**
 * One entry per talk heading. A deeper heading under one (MkDocs cards: `<h3>Title</h3>` then `<h4>Speaker</h4>`,
 * `<h5>Tech</h5>`) belongs to it: a person's name is its speaker (the text under it their bio), a heading that
 * is itself a talk line is an entry of its own, anything else is decoration of the talk.
 */
export function abstractEntriesFromSections(sections: readonly Section[], known: readonly KnownSpeaker[]): AbstractEntry[] {
  const entries: AbstractEntry[] = [];
  let parent: { entry: AbstractEntry; level: number } | undefined;
  for (const s of sections) {
    if (SKIPPED_SUBSECTIONS.test(s.key)) continue;
    const heading = parseTalkText(s.title, known);
    if (parent && s.level > parent.level && !isTalk(heading)) {
      if (looksLikePerson(s.title) && !parent.entry.heading.speakers.some((p) => p.name === s.title)) {
        parent.entry.heading.speakers.push({ name: s.title });
        const bio = paragraphs(s.lines).map((p) => plainText(p.map((l) => l.text).join(' '))).filter(Boolean).join(' ');
        if (bio) parent.entry.bios.push({ name: s.title, text: bio });
      }
      continue;
    }
    const entry = readEntry(heading, s.line, s.lines, known);
    entries.push(entry);
    parent = { entry, level: s.level };
  }
  return entries;
}

/**
 * `* Title: abstract` bullets, one entry per top-level bullet. A bullet that names no talk is the abstract of a talk
 * no bullet names, in order, when there are as many of them as talks left; otherwise it continues the bullet
 * before (one abstract written as several bullets). Nested bullets always continue their parent.
 */
export function abstractEntriesFromBullets(lines: readonly SourceLine[], talkTitles: readonly string[], known: readonly KnownSpeaker[]): AbstractEntry[] {
  const top = Math.min(...lines.filter((l) => l.item && l.depth !== undefined).map((l) => l.depth!));
  const bullets = lines.map((l) => {
    const item = stripBullet(l.text);
    const starts = item !== undefined && (l.depth === undefined || !Number.isFinite(top) || l.depth <= top);
    const m = starts ? /^([^:]{3,200}):\s+(.+)$/.exec(plainText(item)) : null;
    const titled = m && talkTitles.some((t) => similarity(t, m[1]!) >= 0.5) ? { title: m[1]!, text: m[2]! } : undefined;
    return { l, item, starts, titled };
  });
  const named = new Set(talkTitles.map((t, i) => (bullets.some((b) => b.titled && similarity(t, b.titled.title) >= 0.5) ? i : -1)).filter((i) => i >= 0));
  const untitled = bullets.filter((b) => b.starts && !b.titled).length;
  const ownEntries = untitled > 0 && untitled === talkTitles.length - named.size;
  const entries: AbstractEntry[] = [];
  for (const { l, item, starts, titled } of bullets) {
    if (titled) entries.push(readEntry(parseTalkText(titled.title, known), l.line, [{ text: titled.text, line: l.line }], known));
    else if (starts && (ownEntries || (entries.length === 0 && talkTitles.length > 0))) entries.push(readEntry(UNTITLED, l.line, [{ text: item!, line: l.line }], known));
    else if (entries.length > 0 && l.text.trim() !== '') entries.at(-1)!.abstractParagraphs.push(plainText(item ?? l.text));
  }
  return entries;
}

/**
 * With no talk named anywhere else, `1. **Hotwire in production** by Sam Lee` bullets under "Talks:" are the talks:
 * each top-level bullet that is a talk line, with what is inside its list item (its abstract, slides).
 */
export function talkEntriesFromBullets(lines: readonly SourceLine[], known: readonly KnownSpeaker[]): AbstractEntry[] {
  const top = Math.min(...lines.filter((l) => l.item && l.depth !== undefined).map((l) => l.depth!));
  const talks: { heading: TalkText; line: number; lines: SourceLine[] }[] = [];
  let current: (typeof talks)[number] | undefined;
  for (const l of lines) {
    const item = stripBullet(l.text);
    const starts = item !== undefined && (l.depth === undefined || !Number.isFinite(top) || l.depth <= top);
    const heading = starts ? parseTalkText(item, known) : undefined;
    if (heading) {
      current = isTalk(heading) ? { heading, line: l.line, lines: [] } : undefined;
      if (current) talks.push(current);
    }
    // Only what is inside the list item (nested bullets, indented lines); a paragraph after the list is not its abstract.
    else if (current && l.depth !== undefined) current.lines.push({ text: item ?? l.text, line: l.line });
  }
  return talks.map((t) => readEntry(t.heading, t.line, t.lines, known));
}

/** An abstract that names no talk: it pairs with one by its place in the post. */
const UNTITLED: TalkText = { title: '', kind: 'talk', speakers: [], labelled: false, everyone: false };

const SLIDES_LINE = /^\s*(?:[*-]\s+)?(?:\*\*)?slides(?:\*\*)?\b\s*:?/i;
const BIO_PREFIX = /^about the speakers?\s*:\s*/i;

/** "45 minutos", "30 min": a talk's length on a line of its own, not its abstract. */
const DURATION_LINE = /^\(?\d{1,3}\s*(?:min\.?|minutes?|minutos|minuten|minuti|minut|minuty)\)?$/i;

function readEntry(heading: TalkText, line: number, lines: readonly SourceLine[], known: readonly KnownSpeaker[]): AbstractEntry {
  const entry: AbstractEntry = { heading, line, abstractParagraphs: [], bios: [], slides: [] };
  const speakerNames = heading.speakers.map((s) => s.name);
  for (const paragraph of paragraphs(lines)) {
    const prose: string[] = [];
    for (const l of paragraph) {
      if (SLIDES_LINE.test(l.text)) {
        entry.slides.push(...findLinks(l.text));
        continue;
      }
      const plain = plainText(l.text);
      if (DURATION_LINE.test(plain)) continue;
      // "Speaker: Lena Fischer, Mayflower" or "by Jarek Potiuk" (a speaker shortcode's text) on a line of its own
      // under the title, before the abstract: the talk's speakers.
      const people = prose.length === 0 ? (labelledSpeakers(plain, known) ?? bylineAlone(plain)?.map((name) => ({ name }))) : undefined;
      if (people) {
        for (const person of people) if (!heading.speakers.some((s) => s.name === person.name)) heading.speakers.push(person);
        speakerNames.push(...people.map((p) => p.name));
        continue;
      }
      if (/^(?:speakers?|no slides\b.*)$/i.test(plain)) continue;
      prose.push(l.text);
    }
    const text = plainText(prose.join(' ')).replace(/^abstract\s*:\s*/i, '');
    if (text === '') continue;
    if (BIO_PREFIX.test(text)) {
      const bio = text.replace(BIO_PREFIX, '');
      entry.bios.push({ name: leadingName(bio), text: bio });
    } else if (isBioOf(text, speakerNames)) {
      entry.bios.push({ name: leadingName(text), text });
    } else {
      entry.abstractParagraphs.push(text);
    }
  }
  return entry;
}

/** "Nadya Shakhat is Cloud Architect at Nordcloud": a paragraph about a person (a speaker of this talk, or any name). */
function isBioOf(paragraph: string, speakerNames: readonly string[]): boolean {
  const name = leadingName(paragraph);
  if (!name || !looksLikePerson(name.replace(/^(?:dr|prof)\.?\s+/i, ''))) return false;
  if (speakerNames.length === 0) return paragraph.length < 600;
  return findKnown(name, speakerNames.map((n) => ({ name: n }))) !== undefined;
}
