import type { Link, Talk } from '../catalogue/event';
import type { RawLink } from './links';
import { findKnown, withoutHonorific, type KnownSpeaker } from './speakers';
import { similarity } from './abstract-match';
import type { AbstractEntry } from './abstracts';
import type { TalkText } from './talk-text';

/** A talk while the post is read: what its agenda line said, and its line for diagnostics. */
export interface TalkDraft extends Talk {
  parsed: TalkText;
  line: number;
}

/**
 * An abstract entry onto its talk: abstract paragraphs, slides, the heading's speakers (with their company) and
 * bios. A bio gives a speaker their bio only: a company named in it may be a conference or a former employer, so
 * companies come from the talk line or heading alone.
 */
export function mergeEntry(talk: TalkDraft, entry: AbstractEntry, link: (l: RawLink) => Link | undefined): void {
  if (entry.abstractParagraphs.length > 0) talk.abstract = [talk.abstract, ...entry.abstractParagraphs].filter(Boolean).join('\n\n');
  talk.slides.push(...entry.slides.flatMap((l) => link(l) ?? []));
  for (const s of entry.heading.speakers) {
    const existing = talk.speakers.find((t) => findKnown(t.name, [s]) || findKnown(s.name, [t]));
    if (existing) existing.company ??= s.company;
    else talk.speakers = [...talk.speakers, { ...s }];
  }
  for (const bio of entry.bios) {
    const speaker = bio.name ? talk.speakers.find((s) => findKnown(s.name, [{ name: bio.name! }]) || findKnown(bio.name!, [s])) : talk.speakers.length === 1 ? talk.speakers[0] : undefined;
    if (speaker) speaker.bio ??= bio.text;
    else if (bio.name && talk.speakers.length === 0) talk.speakers = [{ name: bio.name, bio: bio.text }];
  }
}

/**
 * "## Speakers" introduces someone no agenda line names, and exactly one talk has no speaker: when the bio
 * and the talk share words ("AIOps"), that is who gives it.
 */
export function assignLeftoverSpeaker(talks: TalkDraft[], known: readonly KnownSpeaker[]): void {
  const isAssigned = (k: KnownSpeaker) => talks.some((t) => t.speakers.some((s) => findKnown(s.name, [k]) || findKnown(k.name, [s])));
  const left = known.filter((k) => k.bio && !isAssigned(k));
  const open = talks.filter((t) => t.speakers.length === 0 && t.kind === 'talk' && !t.parsed.everyone);
  if (left.length !== 1 || open.length !== 1) return;
  const [speaker, talk] = [left[0]!, open[0]!];
  if (similarity(speaker.bio!, `${talk.title} ${talk.abstract ?? ''}`) === 0) return;
  talk.speakers = [{ name: withoutHonorific(speaker.name), company: speaker.company, bio: speaker.bio }];
}
