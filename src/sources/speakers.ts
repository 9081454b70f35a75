import { editDistance } from '../catalogue/catalogue';
import type { Speaker } from '../catalogue/event';
import { paragraphs, plainText, stripBullet, type SourceLine } from './markdown-text';

/** A person the post introduces ("**Ingo Averdunk** is a Distinguished Engineer..."), to complete agenda names. */
export interface KnownSpeaker {
  name: string;
  company?: string;
  bio?: string;
}

// The second letter is lower case: "SREcon", "GKE" and "IBM" are not parts of a person's name.
const NAME_WORD = String.raw`(?:[\p{Lu}](?![\p{Lu}])[\p{L}'’.-]*|(?:von|van|de|der|den|di|da|del|du|la|le|zu)\b)`;
/** 2-4 words, capitalised (with "von", "Di" etc. allowed between): "Stéphane Di Cesare", "Dr. Jorge Cardoso". */
const PERSON = new RegExp(String.raw`^${NAME_WORD}(?:\s+${NAME_WORD}){1,3}$`, 'u');
/** "Davy METANGMO": a surname in capitals (as French posts write it) after a first name, four letters or more. */
const CAPITAL_SURNAME = new RegExp(String.raw`^${NAME_WORD}(?:\s+${NAME_WORD}){0,2}\s+\p{Lu}{4,}$`, 'u');
const SINGLE_NAME_WORD = new RegExp(`^${NAME_WORD}$`, 'u');
const HONORIFIC = /^(?:dr|prof|mr|mrs|ms)\.?\s+/i;
const GENERIC = /^(?:everyone|everybody|all|you|us|organi[sz]ers|team|tbd|tba|n\/a|speakers?|community)$/i;

export function looksLikePerson(text: string): boolean {
  return (PERSON.test(text.trim()) || CAPITAL_SURNAME.test(text.trim())) && !/\d/.test(text) && !/\b(?:GmbH|AG|Inc|Ltd|LLC|SE|Labs|Group|Consulting|Cloud|Initiative)\b/.test(text);
}

/** A name as it reads in a sentence: "Davy METANGMO" is Davy Metangmo. */
export function personName(name: string): string {
  return CAPITAL_SURNAME.test(name) ? name.replace(/\p{Lu}{4,}/gu, (w) => w[0] + w.slice(1).toLowerCase()) : name;
}

export function isGenericName(text: string): boolean {
  return GENERIC.test(text.trim());
}

/**
 * People listed under `## Speakers` (one per bullet or paragraph) in the shapes posts use:
 * `* **Name** is ...`, `* **Name**, Company`, `* Name is ...`, `* **Name is ... at Company.**`.
 */
export function parseSpeakerList(lines: readonly SourceLine[]): KnownSpeaker[] {
  const entries: string[] = [];
  for (const paragraph of paragraphs(lines)) {
    for (const l of paragraph) {
      const item = stripBullet(l.text);
      if (item !== undefined) entries.push(item);
      else if (entries.length > 0 && /^\s/.test(l.text)) entries[entries.length - 1] += ` ${l.text.trim()}`;
      else entries.push(l.text);
    }
  }
  return entries.map(parseSpeakerEntry).filter((s): s is KnownSpeaker => s !== undefined);
}

export function parseSpeakerEntry(markdown: string): KnownSpeaker | undefined {
  const bold = /^\s*(?:\*\*|__)(.+?)(?:\*\*|__)/.exec(markdown);
  const text = plainText(markdown);
  let name: string | undefined;
  if (bold && !/\s(?:is|was|works)\s/.test(bold[1]!) && plainText(bold[1]!).split(/\s+/).length <= 5) name = plainText(bold[1]!).replace(/[,:]$/, '');
  name ??= leadingName(text);
  if (!name || isGenericName(name)) return undefined;
  const rest = text.slice(text.indexOf(name) + name.length).trim();
  const listedCompany = /^,\s*([^,.]+?)\.?$/.exec(rest)?.[1];
  if (listedCompany) return { name, company: listedCompany.trim() };
  // A bio names companies a speaker no longer works for, and conferences: it gives no company.
  return { name, bio: text };
}

/** "Haytham Elkhoja is the Chief Architect" / "Bastian Spanneberg (@spanneberg) is part of" -> the name. */
export function leadingName(text: string): string | undefined {
  const m = /^(.{2,60}?)(?:\s*\([^)]*\))?(?:,|\s+(?:is|was|works|has|leads|will)\s)/u.exec(text);
  if (!m) return undefined;
  const candidate = m[1]!.trim();
  const words = candidate.replace(HONORIFIC, '').split(/\s+/);
  // "Bernard's professional career has ..." starts with a name but is not one.
  if (words.length > 4 || !/^\p{Lu}/u.test(words[0] ?? '') || !words.every((w) => SINGLE_NAME_WORD.test(w)) || /['’]s$/.test(words[0]!)) return undefined;
  return candidate;
}

/** The listed person an agenda name refers to: same name, first name only ("Ingo"), or a typo ("Nadja"/"Nadya"). */
export function findKnown(name: string, known: readonly KnownSpeaker[]): KnownSpeaker | undefined {
  const n = normalizeName(name);
  const exact = known.find((k) => normalizeName(k.name) === n);
  if (exact) return exact;
  const first = n.split(' ')[0]!;
  const byFirst = known.filter((k) => {
    const kn = normalizeName(k.name);
    return (!n.includes(' ') && kn.split(' ')[0] === n) || (!kn.includes(' ') && kn === first);
  });
  if (byFirst.length === 1) return byFirst[0];
  if (n.length < 8) return undefined;
  const close = known.filter((k) => editDistance(normalizeName(k.name), n) <= 2);
  return close.length === 1 ? close[0] : undefined;
}

/** "Dr. Jorge Cardoso" -> "Jorge Cardoso": titles help matching nothing and clutter chat lines. */
export function withoutHonorific(name: string): string {
  return name.replace(HONORIFIC, '');
}

/** Lower case, no title, single spaces: the form names are compared in. */
export function normalizeName(name: string): string {
  return name.replace(HONORIFIC, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The agenda's speaker completed from the post's speaker list: full name, company and bio. */
export function completeSpeaker(speaker: Speaker, known: readonly KnownSpeaker[]): Speaker {
  const match = findKnown(speaker.name, known);
  if (!match) return speaker;
  const longer = normalizeName(match.name).length > normalizeName(speaker.name).length && !speaker.name.includes(' ');
  return {
    name: longer ? withoutHonorific(match.name) : speaker.name,
    company: speaker.company ?? match.company,
    bio: speaker.bio ?? match.bio,
  };
}
