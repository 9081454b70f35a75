/**
 * What one agenda line or abstract heading says about a talk: its label ("Talk 1", "Lightning Talk", "Panel"),
 * title, kind and speakers with their company, in the shapes posts use. Companies come from this line only.
 */
import type { Speaker, TalkKind } from '../catalogue/event';
import { plainText } from './markdown-text';
import { findKnown, isGenericName, looksLikePerson, personName, type KnownSpeaker } from './speakers';

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

const LABEL = /^((?:talk|vortrag|présentation|conférence|charla|ponencia|lezing|presentatie|prelekcja|wykład|intervento|palestra|foredrag|föredrag)(?:\s*#?\s*(\d+))?|(?:lightning[\s-]talk|blitz\s*talk|blitzvortrag|charla\s+relámpago|présentation\s+éclair|talk\s+éclair)(?:\s*#?\s*(\d+))?|lightning|panel(?:\s+discussion)?|(?:open\s+|group\s+)?discussion|keynote|round\s*table|fireside\s+chat|workshop|demo)\b\s*(?:[:\-–]\s*|$)/i;
const NON_TALK = /^(?:welcome|get[ -]?together|doors|pizza|food|dinner|snacks|drinks|networking|(?:short\s+)?break|coffee|intro(?:duction)?\b|join|opening|end\b|leave|go home|closing|wrap[ -]?up|open floor|q\s*&\s*a|registration|sponsor|farewell|social|kick-?off|eof|good ?bye|thank you\b|thanks\b|begrüßung|einlass|pause|abendessen|imbiss|ausklang|accueil|apéro|repas|buffet|bienvenida|registro|descanso|cena|inloop|pauze|borrel|powitanie|przerwa|benvenuto|pausa|aperitivo|boas-vindas|intervalo|velkommen|välkommen|fika)(?![\p{L}])/iu;
const END_MARKER = /^(?:end\b|leave|go home|closing|eof|good ?bye|farewell|wrap[ -]?up|thank you\b|thanks\b|au revoir|fin\b|clôture|ende\b|abschluss|verabschiedung|afsluiting|cierre|despedida|zakończenie)/i;
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
  const split = splitSpeakers(text, known, label !== undefined);
  const title = unquoted(split.title.replace(/[\s.:,;–-]+$/, '')) || label || text;
  return {
    title,
    label,
    number,
    kind: kindOf(label ?? '', title, split.everyone),
    speakers: split.speakers.map((sp) => ({ ...sp, name: personName(sp.name) })),
    labelled: label !== undefined,
    everyone: split.everyone,
  };
}

/** `„Chaos ohne Chaos"`, `«Clean code»`, `"Logs you can read"`: a title wholly in quotes is shown without them. */
function unquoted(title: string): string {
  const m = /^["“”„«‚‘'](.+)["“”»«‘’']$/u.exec(title);
  return m && !/["“”„«»]/u.test(m[1]!) ? m[1]!.trim() : title;
}

/** Whether an agenda line is a talk: labelled, or it names speakers (or is a panel/round table) and is not food or a welcome. */
export function isTalk(t: TalkText): boolean {
  if (t.labelled) return true;
  if (isNonTalk(t.title)) return false;
  return t.speakers.length > 0 || SESSION_WORDS.test(t.title);
}

function kindOf(label: string, title: string, everyone: boolean): TalkKind {
  if (/lightning|blitz|relámpago|éclair/i.test(label)) return 'lightning';
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
function splitSpeakers(text: string, known: readonly KnownSpeaker[], labelled: boolean): SpeakerSplit {
  const told = leadingByline(text, known);
  if (told) return told;
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
      // "Golden Paths in Practice by John Smith (Acme)": a byline, with its company (or length) in the parentheses.
      const by = byline(text, known);
      if (by) return by;
      const named = trailingNames(trailing[1]!, known);
      if (named) return { title: named.title, speakers: named.names.map((name) => ({ name, company: inner.company })), everyone: false };
      // "(Instana)" alone: the listed person who works there gives it; the company is the talk line's.
      const company = inner.company.toLowerCase();
      const staff = known.filter((k) => k.company?.toLowerCase() === company || (k.bio !== undefined && worksAt(k.bio, company)));
      // Nobody listed works there: "(Generative AI)" is part of the title, not a company.
      if (staff.length > 0) return { title: trailing[1]!, speakers: staff.map((k) => ({ name: k.name, company: inner.company })), everyone: false };
    }
  }
  const named = trailingNames(text, known);
  if (named) return { title: named.title, speakers: named.names.map((name) => (named.company ? { name, company: named.company } : { name })), everyone: false };
  const by = byline(text, known);
  if (by) return by;
  // `Lisa Weber - "Logs you can read"`: people first, then the title in quotes, labelled or not.
  const quoted = /^(.+?)\s+[-–—:]\s+["“„«](.+)["”“»]$/.exec(text);
  const quotedNames = quoted ? splitNames(quoted[1]!) : [];
  if (quoted && quotedNames.length > 0 && quotedNames.every((n) => looksLikePerson(n) || findKnown(n, known))) {
    return { title: quoted[2]!, speakers: quotedNames.map((name) => ({ name })), everyone: false };
  }
  // "Talk 1: Arlon Antonius - Duurzame software ontwikkeling": people first, when the title after them is no name.
  // Only after a label: unlabelled, "Crate Expectations - a look at …" is a title with a subtitle.
  const first = labelled ? /^(.+?)\s+[-–—]\s+(.+)$/.exec(text) : null;
  const firstNames = first ? splitNames(first[1]!) : [];
  if (first && firstNames.length > 0 && firstNames.every((n) => looksLikePerson(n) || findKnown(n, known)) && !looksLikePerson(first[2]!)) {
    return { title: first[2]!, speakers: firstNames.map((name) => ({ name })), everyone: false };
  }
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
    const people = parts.slice(0, -1).flatMap(splitAnd).filter((p) => !ROLE.test(p) || isName(p));
    // "(Ant Group, China)": a company and its country, no person.
    if (!people.every(isName)) return { people: [], everyone: false };
    return { people, company: last, everyone: false };
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
  const m = /^(.+?)\s+(?:by|von|par|door|por|af)\s+(.+?)(?:\s*\(([^()]*)\))?\s*$/i.exec(text);
  if (!m) return undefined;
  // "by Hongliang Tian (Ant Group, China)": the parentheses are the company, unless they give a length.
  // "By A & B from Fermyon": the company after the names.
  const from = /^(.+?)\s+(?:from|at|bei|fra|chez)\s+(\S.*)$/i.exec(m[2]!.replace(/[.!]+$/, ''));
  const fromCompany = from && isCompanyLike(from[2]!.trim()) ? from[2]!.trim() : undefined;
  const company = m[3] && !/\bmin/i.test(m[3]) ? m[3].trim() : fromCompany;
  const names = (fromCompany ? from![1]! : m[2]!).replace(/[.!]+$/, '').split(/\s+(?:and|&|und|et|en|y|og)\s+|\s*,\s*/).map((n) => n.trim()).filter(Boolean);
  if (names.length === 0 || !names.every((n) => looksLikePerson(n) || findKnown(n, known))) return undefined;
  // `"Title" - by Name`: the dash belongs to neither.
  return { title: m[1]!.trim().replace(/[\s\-–—:]+$/, '').replace(/^["“”„«»]+|["“”„«»]+$/g, '').trim(), speakers: names.map((name) => (company ? { name, company } : { name })), everyone: false };
}

/** "Talk by Jorge Leitão (Munin Data): Title", "Vortrag von A und B: Titel": the speakers before the title. */
function leadingByline(text: string, known: readonly KnownSpeaker[]): SpeakerSplit | undefined {
  const m = /^(?:(?:talk|vortrag|présentation|presentation|lezing)\s+)?(?:by|von|par|door|por|af)\s+([^():]+?)(?:\s*\(([^()]+)\))?\s*:\s+(.+)$/i.exec(text);
  const names = m ? m[1]!.split(/\s+(?:and|&|und|et|en|y|og)\s+|\s*,\s*/).map((n) => n.trim()).filter(Boolean) : [];
  if (!m || names.length === 0 || !names.every((n) => looksLikePerson(n) || findKnown(n, known))) return undefined;
  const company = m[2] && isCompanyLike(m[2].trim()) ? m[2].trim() : undefined;
  return { title: m[3]!.trim(), speakers: names.map((name) => (company ? { name, company } : { name })), everyone: false };
}

/** A line that is only "by A and B" (in the languages `byline` knows): the names, when they are people's. */
export function bylineAlone(text: string): string[] | undefined {
  const m = /^(?:by|von|par|door|por|af|przez|prowadzi|prowadząc[ya])\s*:?\s+(.+)$/i.exec(text);
  if (!m) return undefined;
  const names = m[1]!.replace(/[.!]+$/, '').split(/\s+(?:and|&|und|et|en|y|og|i)\s+|\s*,\s*/).map((n) => n.trim()).filter(Boolean);
  return names.length > 0 && names.every(looksLikePerson) ? names : undefined;
}

/**
 * "Canary Releases on GKE, Periklis Tsirakidis" / "... workloads. Haytham Elkhoja" / "Title - Ankit Asthana & Tom
 * Graupner" / "Title — Erika Musterfrau": the first separator after which everything is names.
 */
function trailingNames(text: string, known: readonly KnownSpeaker[]): { title: string; names: string[]; company?: string } | undefined {
  const isName = (n: string) => looksLikePerson(n) || findKnown(n, known) !== undefined;
  for (const m of text.matchAll(/(?:[,.]|\s[-–—])\s+/g)) {
    if (m.index === 0) continue;
    const names = splitNames(text.slice(m.index + m[0].length));
    if (names.length > 0 && names.length <= 6 && names.every(isName)) return { title: text.slice(0, m.index), names };
    // "Title - Sarah Connor, Cyberdyne": after a dash, the people and then their company.
    const company = names.at(-1);
    if (/[-–—]/.test(m[0]) && names.length >= 2 && names.slice(0, -1).every(isName) && !isName(company!) && isCompanyLike(company!)) {
      return { title: text.slice(0, m.index), names: names.slice(0, -1), company };
    }
  }
  return undefined;
}

/** "A, B & C" -> three names. */
function splitNames(text: string): string[] {
  return text.split(/\s*,\s*|\s+(?:and|&|und)\s+/).map((n) => n.trim()).filter(Boolean);
}
