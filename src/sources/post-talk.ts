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
export function completeOneTalk(talks: TalkDraft[], agenda: AgendaItem[], postTitle: string, frontSpeakers: unknown): void {
  const named = speakersFrom(frontSpeakers);
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
  if (speakers.length === 0) return;
  talks.push({ parsed: fromTitle, title, speakers, kind: fromTitle.kind, slides: [], line: 1 });
}

/** "Romeu Moura", "A & B", ["A", "B"]: the people a front matter value names. */
function speakersFrom(value: unknown): Speaker[] {
  const texts = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  const names = texts.flatMap((t) => t.split(/\s*,\s*|\s+(?:&|and|und|et|en|y|og|i)\s+/)).map((n) => n.trim());
  return names.filter(looksLikePerson).map((name) => ({ name: personName(name) }));
}
