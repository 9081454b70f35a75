import type { Link, Speaker, TalkKind } from '../catalogue/event';
import { findLinks, paragraphs, plainText, stripBullet, type MarkdownLink, type Section, type SourceLine } from './markdown-text';
import { findKnown, isGenericName, leadingName, looksLikePerson, type KnownSpeaker } from './speakers';

/** What one agenda line or abstract heading says about a talk. */
export interface TalkText {
  /** Plain title without the "Talk 1:" label and the speakers. */
  title: string;
  /** "Talk 1", "Lightning Talk", "Panel": kept in the agenda line. */
  label?: string;
  number?: number;
  kind: TalkKind;
  speakers: Speaker[];
  /** The line says it is a talk ("Talk 2:", "Lightning Talk:", "Panel:"), whatever else it contains. */
  labelled: boolean;
  /** Written for everyone ("(Everyone)"): a session without a named speaker. */
  everyone: boolean;
}

const LABEL = /^(talk\s*#?\s*(\d+)|lightning\s+talk(?:\s*#?\s*(\d+))?|lightning|panel(?:\s+discussion)?|(?:open\s+|group\s+)?discussion|keynote|round\s*table|fireside\s+chat|workshop|demo)\b\s*(?:[:\-–]\s*|$)/i;
const NON_TALK = /^(?:welcome|get[ -]?together|doors|pizza|food|dinner|snacks|drinks|networking|(?:short\s+)?break|coffee|intro(?:duction)?\b|join|opening|end\b|leave|go home|closing|wrap[ -]?up|open floor|q\s*&\s*a|registration|sponsor|farewell|social|kick-?off|eof|good ?bye|thank you\b|thanks\b)/i;
const END_MARKER = /^(?:end\b|leave|go home|closing|eof|good ?bye|farewell|wrap[ -]?up|thank you\b|thanks\b)/i;
const SESSION_WORDS = /\b(?:round\s*table|panel|fireside|tales from on-call|post\s*mortem of the month)\b/i;
const DISCUSSION = /\b(?:discussion|round\s*table|open floor|fishbowl|fireside|ask me anything|tales from on-call)\b/i;

export function isEndMarker(title: string): boolean {
  return END_MARKER.test(plainText(title));
}

/** Doors, food, welcome, breaks and goodbyes: agenda items, never talks. */
export function isNonTalk(title: string): boolean {
  return NON_TALK.test(title) || /\bwelcomes?\b/i.test(title);
}

export function parseTalkText(markdown: string, known: readonly KnownSpeaker[]): TalkText {
  let text = plainText(markdown).replace(/^title:\s*/i, '');
  const labelMatch = LABEL.exec(text);
  let label: string | undefined;
  let number: number | undefined;
  if (labelMatch) {
    label = labelMatch[1]!.replace(/\s+/g, ' ');
    const n = labelMatch[2] ?? labelMatch[3];
    number = n === undefined ? undefined : Number(n);
    text = text.slice(labelMatch[0].length).trim();
  }
  const split = splitSpeakers(text, known);
  const title = split.title.replace(/[\s.:,;–-]+$/, '') || label || text;
  return {
    title,
    label,
    number,
    kind: kindOf(label ?? '', title, split.everyone),
    speakers: split.speakers,
    labelled: label !== undefined,
    everyone: split.everyone,
  };
}

/** Whether an agenda line is a talk: labelled, or it names speakers (or is a panel/round table) and is not food or a welcome. */
export function isTalk(t: TalkText): boolean {
  if (t.labelled) return true;
  if (isNonTalk(t.title)) return false;
  return t.speakers.length > 0 || SESSION_WORDS.test(t.title);
}

function kindOf(label: string, title: string, everyone: boolean): TalkKind {
  if (/lightning/i.test(label)) return 'lightning';
  if (/panel/i.test(label) || /^panel\b/i.test(title)) return 'panel';
  if (/round\s*table|fireside|discussion/i.test(label) || DISCUSSION.test(title) || everyone) return 'discussion';
  return 'talk';
}

interface SpeakerSplit {
  title: string;
  speakers: Speaker[];
  everyone: boolean;
}

/**
 * Separates speakers from a title in the shapes posts use: `Title (Speaker, Company)`, `Title (A and B, Company)`,
 * `Title (A, B)`, `Title, Speaker`, `Title - Speaker`, `Title. Speaker (Company)`, `Speaker (Company) - Title`.
 */
function splitSpeakers(text: string, known: readonly KnownSpeaker[]): SpeakerSplit {
  const leading = /^(.+?)\s*\(([^()]+)\)\s*[-–:]\s+(.+)$/.exec(text);
  const leadingNames = leading ? splitNames(leading[1]!) : [];
  if (leading && leadingNames.length > 0 && leadingNames.every(looksLikePerson)) {
    // "(VP Of Engineering, Checkly)": a role before the company is not part of it.
    const company = leading[2]!.split(/\s*,\s*/).at(-1)!.trim();
    return { title: leading[3]!, speakers: leadingNames.map((name) => ({ name, company })), everyone: false };
  }
  const trailing = /^(.*?)\s*\(([^()]+)\)\s*[.!]?$/.exec(text);
  if (trailing) {
    const inner = readParentheses(trailing[2]!, known);
    if (inner.everyone) return { title: trailing[1]!, speakers: [], everyone: true };
    if (inner.people.length > 0) return { title: trailing[1]!, speakers: inner.people.map((name) => ({ name, company: inner.company })), everyone: false };
    if (inner.company) {
      const named = trailingNames(trailing[1]!, known);
      if (named) return { title: named.title, speakers: named.names.map((name) => ({ name, company: inner.company })), everyone: false };
      // "(Instana)" alone: the listed person who works there gives it; the company is the talk line's.
      const company = inner.company.toLowerCase();
      const staff = known.filter((k) => k.company?.toLowerCase() === company || (k.bio !== undefined && worksAt(k.bio, company)));
      return { title: trailing[1]!, speakers: staff.map((k) => ({ name: k.name, company: inner.company })), everyone: false };
    }
  }
  const named = trailingNames(text, known);
  if (named) return { title: named.title, speakers: named.names.map((name) => ({ name })), everyone: false };
  const by = byline(text, known);
  if (by) return by;
  return { title: text, speakers: [], everyone: false };
}

/** "... is part of the SRE team at Instana": the bio says where its person works (used to find them, not their company). */
function worksAt(bio: string, company: string): boolean {
  const at = bio.toLowerCase().indexOf(` at ${company}`);
  return at >= 0 && !/[\p{L}\p{N}]/u.test(bio[at + company.length + 4] ?? '');
}

interface Parenthesised {
  people: string[];
  company?: string;
  everyone: boolean;
}

function readParentheses(inner: string, known: readonly KnownSpeaker[]): Parenthesised {
  const parts = inner.split(/\s*,\s*/).map((p) => p.trim()).filter(Boolean);
  if (parts.length === 1 && isGenericName(parts[0]!)) return { people: [], everyone: true };
  const isName = (p: string) => findKnown(p, known) !== undefined || looksLikePerson(p);
  if (parts.length >= 2) {
    // "Ingo, danrl": a first name alone means a list of people; after a full name the last part is the company.
    const firstNamesOnly = !parts[0]!.includes(' ');
    const last = parts[parts.length - 1]!;
    if (firstNamesOnly || findKnown(last, known)) return { people: parts.flatMap(splitAnd).filter((p) => !isGenericName(p)), everyone: false };
    if (!isCompanyLike(last)) return { people: [], everyone: false };
    // "(Hannes Lenke, VP Of Engineering, Checkly)": the role is neither a person nor the company.
    return { people: parts.slice(0, -1).flatMap(splitAnd).filter((p) => !ROLE.test(p) || isName(p)), company: last, everyone: false };
  }
  const names = splitAnd(parts[0] ?? '');
  if (names.length > 0 && names.every(isName)) return { people: names, everyone: false };
  return { people: [], company: parts[0] && isCompanyLike(parts[0]) ? parts[0] : undefined, everyone: false };
}

const ROLE = /\b(?:vp|cto|ceo|cio|coo|head|lead|engineer(?:ing)?|manager|founder|director|architect|principal|senior|staff|developer|consultant|advocate|evangelist|president|officer|owner|researcher|scientist|sre)\b/i;

function isCompanyLike(text: string): boolean {
  return /^(?:[\p{Lu}\d]|\p{Ll}\p{Lu})/u.test(text) && text.split(/\s+/).length <= 4 && text.length <= 40;
}

function splitAnd(text: string): string[] {
  return text.split(/\s+(?:and|&|und)\s+|\s*\/\s*/).map((p) => p.trim()).filter(Boolean);
}

/**
 * `"Title" by Speaker (30 min + 5 min Q&A)` and `Title par A et B`: a talk line naming its speakers after "by"
 * (in the languages the defaults cover), with a trailing duration dropped.
 */
function byline(text: string, known: readonly KnownSpeaker[]): SpeakerSplit | undefined {
  const m = /^(.+?)\s+(?:by|von|par|door|por|af)\s+(.+?)(?:\s*\([^()]*\bmin[^()]*\))?\s*$/i.exec(text);
  if (!m) return undefined;
  const names = m[2]!.replace(/[.!]+$/, '').split(/\s+(?:and|&|und|et|en|y|og)\s+|\s*,\s*/).map((n) => n.trim()).filter(Boolean);
  if (names.length === 0 || !names.every((n) => looksLikePerson(n) || findKnown(n, known))) return undefined;
  return { title: m[1]!.trim().replace(/^["“”]+|["“”]+$/g, '').trim(), speakers: names.map((name) => ({ name })), everyone: false };
}

/** A line that is only "by A and B" (in the languages `byline` knows): the names, when they are people's. */
function bylineAlone(text: string): string[] | undefined {
  const m = /^(?:by|von|par|door|por|af|przez|prowadzi|prowadząc[ya])\s*:?\s+(.+)$/i.exec(text);
  if (!m) return undefined;
  const names = m[1]!.replace(/[.!]+$/, '').split(/\s+(?:and|&|und|et|en|y|og|i)\s+|\s*,\s*/).map((n) => n.trim()).filter(Boolean);
  return names.length > 0 && names.every(looksLikePerson) ? names : undefined;
}

/**
 * "Canary Releases on GKE, Periklis Tsirakidis" / "... workloads. Haytham Elkhoja" / "Title - Ankit Asthana & Tom
 * Graupner": the first separator after which everything is names.
 */
function trailingNames(text: string, known: readonly KnownSpeaker[]): { title: string; names: string[] } | undefined {
  for (const m of text.matchAll(/(?:[,.]|\s[-–])\s+/g)) {
    if (m.index === 0) continue;
    const names = splitNames(text.slice(m.index + m[0].length));
    if (names.length > 0 && names.length <= 6 && names.every((n) => looksLikePerson(n) || findKnown(n, known))) return { title: text.slice(0, m.index), names };
  }
  return undefined;
}

/** "A, B & C" -> three names. */
function splitNames(text: string): string[] {
  return text.split(/\s*,\s*|\s+(?:and|&|und)\s+/).map((n) => n.trim()).filter(Boolean);
}

// ---------------------------------------------------------------------------------------------------------------
// Abstracts

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
    const entry = readEntry(heading, s.line, s.lines);
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
    if (titled) entries.push(readEntry(parseTalkText(titled.title, known), l.line, [{ text: titled.text, line: l.line }]));
    else if (starts && (ownEntries || (entries.length === 0 && talkTitles.length > 0))) entries.push(readEntry(UNTITLED, l.line, [{ text: item!, line: l.line }]));
    else if (entries.length > 0 && l.text.trim() !== '') entries.at(-1)!.abstractParagraphs.push(plainText(item ?? l.text));
  }
  return entries;
}

/** An abstract that names no talk: it pairs with one by its place in the post. */
const UNTITLED: TalkText = { title: '', kind: 'talk', speakers: [], labelled: false, everyone: false };

const SLIDES_LINE = /^\s*(?:[*-]\s+)?(?:\*\*)?slides(?:\*\*)?\b\s*:?/i;
const BIO_PREFIX = /^about the speakers?\s*:\s*/i;

/** "45 minutos", "30 min": a talk's length on a line of its own, not its abstract. */
const DURATION_LINE = /^\(?\d{1,3}\s*(?:min\.?|minutes?|minutos|minuten|minuti|minut|minuty)\)?$/i;

function readEntry(heading: TalkText, line: number, lines: readonly SourceLine[]): AbstractEntry {
  const entry: AbstractEntry = { heading, line, abstractParagraphs: [], bios: [], slides: [] };
  const speakerNames = heading.speakers.map((s) => s.name);
  for (const paragraph of paragraphs(lines)) {
    const prose: string[] = [];
    for (const l of paragraph) {
      if (SLIDES_LINE.test(l.text)) {
        entry.slides.push(...findLinks(l.text));
        continue;
      }
      if (DURATION_LINE.test(plainText(l.text))) continue;
      // "by Jarek Potiuk" on a line of its own under the title (a speaker shortcode's text): the talk's speakers.
      const by = prose.length === 0 ? bylineAlone(plainText(l.text)) : undefined;
      if (by) {
        for (const name of by) if (!heading.speakers.some((s) => s.name === name)) heading.speakers.push({ name });
        speakerNames.push(...by);
        continue;
      }
      const plain = plainText(l.text);
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

// ---------------------------------------------------------------------------------------------------------------
// Matching abstracts to agenda talks

const STOP_WORDS = new Set(['the', 'and', 'with', 'for', 'from', 'into', 'your', 'our', 'how', 'what', 'why', 'talk', 'about', 'at', 'of', 'in', 'on', 'to', 'a', 'an']);

function tokens(text: string): Set<string> {
  return new Set(
    plainText(text)
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length >= 3 && !STOP_WORDS.has(w)),
  );
}

/** Shared words over the shorter title's words: "Open Discussion" ~ "General Discussion" = 0.5. */
export function similarity(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let common = 0;
  for (const w of ta) if (tb.has(w)) common++;
  return common / Math.min(ta.size, tb.size);
}

export interface TalkRef {
  title: string;
  number?: number;
}

/**
 * Pairs abstract entries with talks: "Talk N" by number, then by title similarity, then the leftovers in order
 * when as many entries as talks are left. Returns, per entry, the talk index or undefined.
 */
export function matchEntries(entries: readonly AbstractEntry[], talks: readonly TalkRef[]): (number | undefined)[] {
  const result: (number | undefined)[] = entries.map(() => undefined);
  const taken = new Set<number>();
  entries.forEach((e, i) => {
    if (e.heading.number === undefined || !/^talk/i.test(e.heading.label ?? '')) return;
    const index = talks.findIndex((t, ti) => t.number === e.heading.number && !taken.has(ti));
    if (index >= 0) {
      result[i] = index;
      taken.add(index);
    }
  });
  entries.forEach((e, i) => {
    if (result[i] !== undefined || isNumberedOnly(e)) return;
    let best = -1;
    let bestScore = 0.5;
    talks.forEach((t, ti) => {
      const score = taken.has(ti) ? 0 : similarity(t.title, e.heading.title);
      if (score >= bestScore && (best < 0 || score > bestScore)) {
        best = ti;
        bestScore = score;
      }
    });
    if (best >= 0) {
      result[i] = best;
      taken.add(best);
    }
  });
  const leftEntries = entries.map((e, i) => i).filter((i) => result[i] === undefined && !isNumberedOnly(entries[i]!));
  const leftTalks = talks.map((t, i) => i).filter((i) => !taken.has(i));
  if (leftEntries.length > 0 && leftEntries.length === leftTalks.length) leftEntries.forEach((ei, k) => (result[ei] = leftTalks[k]));
  return result;
}

/** "### Talk 0" names a number, not a title: it never pairs by similarity or order. */
function isNumberedOnly(e: AbstractEntry): boolean {
  return e.heading.number !== undefined;
}
