/**
 * A post that announces one talk: its agenda names the talk only as "Talk par A et B" or "Présentation par X",
 * the front matter names its speaker (`event.speaker`, through the profile's `frontMatter.speakers`), or its title
 * reads "Title - Speaker". The talk is then named by the post's title, as a person reading it would name it.
 */
import type { AgendaItem, Speaker } from '../catalogue/event';
import { looksLikePerson, personName } from './speakers';
import type { TalkDraft } from './talk-merge';
import { isTalk, parseTalkText } from './talk-text';

/** Titles that only say a talk happens ("Talk", "Présentation", "Vortrag", "Lezing"). */
const GENERIC_TITLE = /^(?:talk|présentation|presentation|conférence|conference|vortrag|lezing|charla|ponencia|prelekcja|session)$/i;

/** Completes `talks` in place from the post's title and the speakers its front matter names. */
export function completeOneTalk(talks: TalkDraft[], agenda: AgendaItem[], postTitle: string, frontSpeakers: unknown, prose: readonly string[]): void {
  const named = speakersFrom(frontSpeakers);
  const about = aboutTitle(postTitle);
  if (talks.length === 0 && about) {
    talks.push({ parsed: parseTalkText(about.title, []), title: about.title, speakers: [{ name: about.name }], kind: 'talk', slides: [], line: 1 });
    return;
  }
  const fromTitle = parseTalkText(postTitle, []);
  const title = isTalk(fromTitle) && fromTitle.speakers.length > 0 ? fromTitle.title : postTitle;
  if (talks.length === 1) {
    const only = talks[0]!;
    if (GENERIC_TITLE.test(only.title)) {
      only.title = title;
      for (const item of agenda) if (item.talkIndex === 0) item.title = title;
    }
    if (only.speakers.length === 0) only.speakers = named;
    return;
  }
  if (talks.length > 0) return;
  const speakers = named.length > 0 ? named : isTalk(fromTitle) ? fromTitle.speakers : [];
  if (speakers.length === 0) {
    talks.push(...talksInProse(prose));
    return;
  }
  talks.push({ parsed: fromTitle, title, speakers, kind: fromTitle.kind, slides: [], line: 1 });
}

/** "Romeu Moura", "A & B", ["A", "B"]: the people a front matter value names. */
function speakersFrom(value: unknown): Speaker[] {
  const texts = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  const names = texts.flatMap((t) => t.split(/\s*,\s*|\s+(?:&|and|und|et|en|y|og|i)\s+/)).map((n) => n.trim());
  return names.filter(looksLikePerson).map((name) => ({ name: personName(name) }));
}

/** "Online meet-up: Mohamed Said over Laravel Queues in Action", "Meetup with Jane Doe about X": a person's talk. */
function aboutTitle(title: string): { name: string; title: string } | undefined {
  const tails = [title, ...[...title.matchAll(/:\s+|\b(?:met|with|mit|avec|con|z)\s+/giu)].map((m) => title.slice(m.index + m[0].length))];
  for (const tail of tails) {
    const m = /^((?:\S+\s+){1,3}?\S+)\s+(?:over|about|on|sur|über|zu|sobre|o)\s+(.+)$/iu.exec(tail);
    if (m && looksLikePerson(m[1]!)) return { name: personName(m[1]!), title: m[2]!.trim() };
  }
  return undefined;
}

/** Words that lead to the next person in a line-up ("Daarna zal", "Tot slot zal", "Then", "Finally", "Ensuite"). */
const SEQUENCE = /^(?:(?:daarna|vervolgens|tot slot|als laatste|then|next|after that|afterwards|finally|lastly|ensuite|puis|enfin|danach|anschließend|zum schluss|zuletzt|después|luego|finalmente|potem|następnie|na koniec)\b[,]?\s+(?:(?:zal|zullen|will|wird|werden|va|vont|va a|van a)\s+)?)?/iu;
/** The names a paragraph starts with, and the company after "van"/"from"/"of" (a capitalised word or two). */
const LEADING_PEOPLE = /^((?:\p{Lu}[\p{L}'’.-]*\s+){1,3}?\p{Lu}[\p{L}'’.-]*(?:\s+(?:&|and|en|und|et|y)\s+(?:\p{Lu}[\p{L}'’.-]*\s+){1,3}?\p{Lu}[\p{L}'’.-]*)?)(?:\s+(?:van|from|of|von|de|bij|at)\s+(\p{Lu}[\p{L}\d.&-]*(?:\s+\p{Lu}[\p{L}\d.&-]*)?))?\s+\p{Ll}/u;

/**
 * A line-up written as prose, one paragraph per talk ("Arto Rozenga & Dennis Koster van PXL.Widgets nemen je mee
 * in de wereld van PHP 7.4. ...", "Daarna zal Ruud Schaaphuizen van Sqits ..."): each such paragraph is a talk by the
 * people it starts with, titled by its first sentence (the post gives the talk no other name), the paragraph its
 * abstract. Only for a post that names no talk any other way.
 */
function talksInProse(paragraphs: readonly string[]): TalkDraft[] {
  return paragraphs.flatMap((paragraph): TalkDraft[] => {
    const text = paragraph.replace(SEQUENCE, '');
    const m = LEADING_PEOPLE.exec(text);
    const names = m ? m[1]!.split(/\s+(?:&|and|en|und|et|y)\s+/).map((n) => n.trim()) : [];
    if (!m || names.length === 0 || !names.every(looksLikePerson)) return [];
    // The sentence as written ("Daarna zal Ruud Schaaphuizen van Sqits jullie meenemen in ..."): it reads as one.
    const title = /^(.+?[.!?])(?:\s|$)/u.exec(paragraph)?.[1] ?? paragraph;
    const speakers = names.map((name) => ({ name: personName(name), ...(m[2] ? { company: m[2].replace(/[.,]$/, '') } : {}) }));
    return [{ parsed: parseTalkText(title, []), title: title.replace(/[.!?]$/, ''), speakers, kind: 'talk', slides: [], line: 1, abstract: paragraph }];
  });
}

