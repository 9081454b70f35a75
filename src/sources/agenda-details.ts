import type { Speaker } from '../catalogue/event';
import { findLinks, plainText, stripBullet, type MarkdownLink, type SourceLine } from './markdown-text';
import { findKnown, isGenericName, looksLikePerson, type KnownSpeaker } from './speakers';

/** What the bullets nested under one agenda item say: who speaks, their slides, and the rest as its description. */
export interface ItemDetails {
  speakers: Speaker[];
  slides: MarkdownLink[];
  description: string[];
}

const SPEAKER_LABEL = /^(?:speakers?|presenters?|presented by|hosts?|moderat(?:or|ed by)|panel(?:ists)?|with|by|sprecher(?:in(?:nen)?)?|referent(?:in)?(?:en)?|von|mit|intervenants?|par|avec|ponentes?|por|con|sprekers?|door|prelegen(?:t|ci)|af)\b\s*[:\-–]?\s+(.+)$/i;
/** The word for who speaks, in the defaults' languages: a label ("Speaker: ...") or a table column's header. */
export const SPEAKER_NOUNS = String.raw`speakers?|presenters?|hosts?|moderators?|sprecher(?:in(?:nen)?)?|referent(?:in)?(?:en|nen)?|vortragende[rn]?|intervenant(?:e)?s?|orat(?:eur|rice)s?|ponentes?|sprekers?|prelegen(?:t|ci|tka)|relatori|palestrantes?`;
/** A line that says who speaks, as a label with a colon ("Speaker: Jane Doe, Acme", "**Sprecherin:** Lena Fischer"). */
const SPEAKER_NOUN_LABEL = new RegExp(String.raw`^(?:${SPEAKER_NOUNS})\s*:\s*(.+)$`, 'i');

/** The people a "Speaker: ..." line names under a talk (undefined when the line is no such label). */
export function labelledSpeakers(text: string, known: readonly KnownSpeaker[]): Speaker[] | undefined {
  const m = SPEAKER_NOUN_LABEL.exec(text.trim());
  const people = m ? readPeople(m[1]!.replace(/[.!]+$/, ''), known, true) : [];
  return people.length > 0 ? people : undefined;
}

const SLIDES_LABEL = /^(?:slides?|folien|deck|presentation|diapositivas|présentation|transparents)\b/i;
const RECORDING_LABEL = /^(?:video|recording|youtube|aufzeichnung|vidéo|grabación)\b/i;

/** Reads the nested bullets of one agenda item (as written, bullets included). */
export function readItemDetails(lines: readonly SourceLine[], known: readonly KnownSpeaker[]): ItemDetails {
  const details: ItemDetails = { speakers: [], slides: [], description: [] };
  for (const l of lines) {
    const markdown = (stripBullet(l.text) ?? l.text).trim();
    const text = plainText(markdown);
    if (text === '') continue;
    const links = findLinks(markdown);
    if (SLIDES_LABEL.test(text) || (links.length > 0 && links.every((k) => /slides?|folien|deck/i.test(k.label)))) {
      details.slides.push(...links);
      continue;
    }
    if (RECORDING_LABEL.test(text)) continue;
    const labelled = SPEAKER_LABEL.exec(text);
    const people = labelled ? readPeople(labelled[1]!, known, true) : readPeople(text, known, false);
    if (people.length > 0) details.speakers.push(...people);
    else details.description.push(text);
  }
  return details;
}

/**
 * `Jane Doe (Acme)`, `Jane Doe, Acme`, `A & B (Acme)`, `A, B`: people on one line. Unlabelled lines count only when
 * every part is a name, so a description never turns into speakers.
 */
function readPeople(text: string, known: readonly KnownSpeaker[], labelled: boolean): Speaker[] {
  const isName = (n: string) => (looksLikePerson(n) || findKnown(n, known) !== undefined) && !isGenericName(n);
  const grouped = /^(.+?)\s*\(([^()]+)\)\s*$/.exec(text);
  if (grouped) {
    const names = splitNames(grouped[1]!);
    if (names.length > 0 && (labelled || names.every(isName))) return names.map((name) => ({ name, company: grouped[2]!.trim() }));
  }
  const parts = text.split(/\s*,\s*/);
  if (parts.length === 2 && isName(parts[0]!) && !isName(parts[1]!) && parts[1]!.split(/\s+/).length <= 4) return [{ name: parts[0]!, company: parts[1]! }];
  const names = splitNames(text);
  if (names.length === 0) return [];
  if (names.every(isName) || (labelled && names.every((n) => n.split(/\s+/).length <= 4))) return names.map((name) => ({ name }));
  return [];
}

function splitNames(text: string): string[] {
  return text
    .split(/\s*,\s*|\s+(?:and|&|und|et|en|y|i|og)\s+/)
    .map((n) => n.replace(/^@/, '').trim())
    .filter(Boolean);
}
