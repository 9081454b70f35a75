/**
 * The talk sections of an agenda or abstracts message: each talk's speakers, kind and slides, and its abstract when
 * asked for, fitted into what the message has left.
 */
import type { Link, MeetupEvent, Speaker, Talk } from '../../catalogue/event';
import { link, time, type MessageModel, type RichText, type Section } from '../message';
import { clip, fairShares, HEADING_MAX, MESSAGE_MAX, MORE_LINE_ROOM, SECTION_MAX, sectionLength, textLength } from './fit';

/** Below this an abstract says too little to be worth showing; the talk then waits for the full page. */
const ABSTRACT_MIN = 150;
/** More talk sections than this would not fit a Discord embed (25 fields) next to the agenda and facts. */
const TALK_SECTIONS_MAX = 15;

export type TalkDetail = 'summary' | 'abstracts';

/**
 * Adds a section per talk (speakers, kind, slides, and the abstract when asked for), sharing what is left of
 * the message budget fairly between the abstracts.
 */
export function withTalks(base: MessageModel, event: MeetupEvent, detail: TalkDetail): MessageModel {
  const readMore = event.url ? 20 + event.url.length : 0;
  // Each talk shown needs its facts and, with abstracts, room for at least a sentence and the link.
  const perTalkMin = detail === 'abstracts' ? ABSTRACT_MIN + readMore : 0;
  const heads: Section[] = [];
  let used = messageLength(base) + MORE_LINE_ROOM;
  for (const talk of event.talks.slice(0, TALK_SECTIONS_MAX)) {
    const head = { heading: clip(talk.title, HEADING_MAX), body: talkFacts(talk) };
    if (used + sectionLength(head) + perTalkMin > MESSAGE_MAX) break;
    heads.push(head);
    used += sectionLength(head) + perTalkMin;
  }
  const shown = event.talks.slice(0, heads.length);
  const left = event.talks.length - shown.length;
  const extra: Section[] = left > 0 ? [{ body: [`… and ${left} more talk${left === 1 ? '' : 's'}`, ...pageLink(event, ': ', 'see the full agenda')] }] : [];
  if (detail === 'summary') return { ...base, sections: [...base.sections, ...heads, ...extra] };

  used = messageLength(base) + heads.reduce((n, s) => n + sectionLength(s) + 2, 0) + extra.reduce((n, s) => n + sectionLength(s), 0);
  const abstracts = shown.map((talk) => talk.abstract?.trim() ?? '');
  const shares = fairShares(
    abstracts.map((a) => a.length),
    MESSAGE_MAX - used - readMore * shown.length,
  );
  const sections = heads.map((head, i) => {
    const room = Math.min(shares[i]!, SECTION_MAX - sectionLength(head) - readMore - 2);
    const abstract = abstracts[i]!;
    if (abstract === '') return { ...head, body: [...head.body, '\n', 'No abstract yet.'] };
    const shortened = clip(abstract, Math.max(room, 0));
    const cut = shortened.length < abstract.length;
    return { ...head, body: [...head.body, '\n', shortened, ...(cut ? pageLink(event, ' ', 'Read more') : [])] };
  });
  return { ...base, sections: [...base.sections, ...sections, ...extra] };
}

function talkFacts(talk: Talk): RichText {
  const facts: RichText = [];
  if (talk.start) facts.push(time(talk.start, 'time'), ' · ');
  const who = talk.speakers.length > 0 ? clip(speakersText(talk.speakers), 250) : talk.kind === 'talk' || talk.kind === 'lightning' ? 'Speaker to be announced' : '';
  const parts = [who, talk.kind !== 'talk' ? KIND_LABELS[talk.kind] : ''].filter(Boolean);
  facts.push(parts.join(' · '));
  if (talk.slides.length > 0) facts.push(' · Slides: ', ...linkList(talk.slides.slice(0, 5)));
  return facts;
}

const KIND_LABELS: Record<Talk['kind'], string> = { talk: 'Talk', lightning: 'Lightning talk', panel: 'Panel', discussion: 'Discussion' };

export function speakersText(speakers: Speaker[]): string {
  return speakers.map((s) => (s.company ? `${s.name} (${s.company})` : s.name)).join(', ');
}

function linkList(links: Link[]): RichText {
  return links.flatMap((l, i) => [...(i > 0 ? [', '] : []), link(l.url, l.label || 'slides')]);
}

/** "<before><link to the event page>", or nothing when the event has no page. */
export function pageLink(event: MeetupEvent, before: string, label: string): RichText {
  return event.url ? [before, link(event.url, label)] : [];
}

function messageLength(m: MessageModel): number {
  return (
    (m.title?.length ?? 0) +
    textLength(m.intro) +
    m.sections.reduce((n, s) => n + sectionLength(s), 0) +
    m.fields.reduce((n, f) => n + f.name.length + textLength(f.value), 0) +
    m.links.reduce((n, l) => n + l.label.length + l.url.length + 3, 0) +
    textLength(m.footer)
  );
}
