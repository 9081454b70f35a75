/**
 * Where the meetup is, when the announcement only says so in a sentence: "We meet at **Example Labs**, 1 High
 * Street, Munich", "Wir treffen uns bei Example Labs, Hauptstraße 1", "Nous nous retrouvons chez Example", and
 * whether it says the meetup itself is online: "diesmal online", "this time we are taking things online", "la
 * session aura lieu en ligne". A word that only mentions online ("slides will be online", "after months of virtual
 * events", "en ligne ou présentiel") says nothing about this meetup.
 */
import type { SourceLine } from './markdown-text';
import { plainText } from './markdown-text';

/**
 * The day (and time) a sentence may name between meeting and the place: "Join us on Thursday, May 15th at 6:30pm
 * at **Acme**", "treffen wir uns am Mittwoch, 14.05.2025 um 18:30 Uhr bei der Firma Beispiel", "Rendez-vous le
 * jeudi 15 mai 2025 à 19h chez **Alsace Digitale**".
 */
const ON_DAY = { en: String.raw`(?:\s+on\s+[^.!?\n]{3,40}?)?`, de: String.raw`(?:\s+am\s+[^!?\n]{3,50}?)?`, fr: String.raw`(?:\s+le\s+[^.!?\n]{3,40}?)?` };

/** A phrase of meeting somewhere, up to the word before the place: each is followed by the place's name. */
const MEET_AT: Record<string, string[]> = {
  en: [
    String.raw`(?:we(?:'ll|’ll| will| are|'re|’re)?|let's|let’s)\s+(?:be\s+)?(?:meet(?:ing)?|gather(?:ing)?|get(?:ting)?\s+together)(?:\s+(?:again|up|this\s+time))*${ON_DAY.en}\s+at`,
    String.raw`(?:join|meet|see)\s+us(?:\s+(?:again|this\s+time))*${ON_DAY.en}\s+at`,
    String.raw`(?:takes|will\s+take|is\s+taking)\s+place\s+at`,
    String.raw`(?:is|will\s+be)\s+(?:held|hosted)\s+at`,
  ],
  de: [
    String.raw`(?:wir\s+treffen\s+uns|treffen\s+wir\s+uns|wir\s+sind|sind\s+wir)(?:\s+(?:diesmal|dieses\s+Mal|wieder|erneut|zu\s+Gast))*${ON_DAY.de}\s+(?:bei|im)`,
    String.raw`findet(?:\s+(?:diesmal|dieses\s+Mal|wieder|erneut))*${ON_DAY.de}\s+(?:bei|im)`,
    String.raw`zu\s+Gast\s+bei`,
  ],
  fr: [
    String.raw`(?:nous\s+nous\s+retrouv\w+|on\s+se\s+retrouve|retrouvons-nous|rejoignez-nous|rendez-vous|nous\s+serons|nous\s+sommes|(?:aura|a)\s+lieu|se\s+(?:déroulera|déroule|tiendra|tient|passera|passe))(?:\s+(?:cette\s+fois(?:-ci)?|à\s+nouveau|de\s+nouveau))?${ON_DAY.fr},?\s+(?:chez|dans\s+les\s+locaux\s+de|au|à)`,
    String.raw`(?:accueillis|accueillies|reçus|reçues)\s+(?:par|chez)`,
  ],
  es: [String.raw`(?:nos\s+vemos|nos\s+reunimos|nos\s+encontramos|será|se\s+realizará|tendrá\s+lugar)\s+en`],
  nl: [String.raw`(?:we\s+(?:zijn|komen\s+samen)|zijn\s+we|vindt\s+plaats)(?:\s+(?:deze\s+keer|dit\s+keer|weer|te\s+gast))*\s+(?:bij|in)`, String.raw`te\s+gast\s+bij`],
  pl: [String.raw`(?:spotykamy\s+się|spotkamy\s+się|widzimy\s+się|spotkanie\s+odbędzie\s+się)\s+(?:w|u)`],
  it: [String.raw`(?:ci\s+vediamo|ci\s+troviamo|ci\s+incontriamo|si\s+terrà|si\s+svolgerà|saremo\s+ospiti)\s+(?:presso|da|al|alla|nella|nel|a)`],
  pt: [String.raw`(?:nos\s+vemos|nos\s+encontramos|será\s+realizado|será|acontecerá|acontece)\s+(?:no|na|em)`],
  sv: [String.raw`(?:vi\s+ses|vi\s+träffas|träffen\s+hålls)\s+(?:hos|på|i)`],
};

/** Sentences that say the meetup itself is online. */
const MEETS_ONLINE: Record<string, string[]> = {
  en: [
    String.raw`\b(?:this\s+time|once\s+again|this\s+month)\b[^.!?\n]{0,40}?\b(?:online|virtual(?:ly)?|remote)\b`,
    String.raw`\b(?:taking|take|takes|moving|move|moves|going|go|goes)\s+(?:things|it|the\s+(?:meetup|event))?\s*(?:online|virtual)\b`,
    String.raw`\b(?:meetup|meet-up|event|session|edition|meeting)\s+(?:will\s+be|is|takes\s+place|will\s+take\s+place|happens|will\s+happen|runs|will\s+run)\s+(?:fully\s+|completely\s+|entirely\s+|purely\s+|only\s+)?(?:online|virtual|remote)\b`,
    String.raw`\b(?:we(?:'ll|’ll| will)?|let's|let’s)\s+(?:meet|gather)\s+(?:again\s+)?(?:online|virtually)\b`,
    String.raw`\bthis\s+(?:online|virtual)\s+(?:meetup|meet-up|event|edition)\b`,
  ],
  de: [
    String.raw`\b(?:diesmal|dieses\s+Mal|erneut|ausnahmsweise)\s+(?:\p{L}+\s+)?(?:online|virtuell|remote)\b`,
    String.raw`\bfindet\s+(?:\p{L}+\s+){0,3}?(?:online|virtuell)\s+statt\b`,
    String.raw`\b(?:treffen\s+wir\s+uns|wir\s+treffen\s+uns)\s+(?:\p{L}+\s+)?(?:online|virtuell)\b`,
    String.raw`\b(?:dieses|unser\s+nächstes)\s+Online-(?:Meetup|Treffen|Event)\b`,
  ],
  fr: [
    String.raw`\b(?:cette\s+fois(?:-ci)?|à\s+nouveau|de\s+nouveau|exceptionnellement)\b[^.!?\n]{0,40}?\ben\s+ligne\b`,
    String.raw`\b(?:(?:aura|a)\s+lieu|se\s+(?:déroulera|déroule|tiendra|tient|passera|passe))\s+(?:\p{L}+\s+){0,2}?en\s+ligne\b`,
    String.raw`(?:nous\s+nous\s+retrouv\w+|on\s+se\s+retrouve|rendez-vous|retrouvons-nous|rejoignez-nous)\s+(?:\p{L}+\s+){0,2}?en\s+ligne\b`,
    String.raw`\b(?:ce|cette)\s+(?:meetup|session|rencontre|soirée|édition)\s+en\s+ligne\b`,
  ],
  es: [String.raw`\besta\s+vez\b[^.!?\n]{0,40}?\b(?:en\s+línea|virtual|online)\b`, String.raw`\b(?:será|se\s+realizará|tendrá\s+lugar)\s+(?:de\s+forma\s+|de\s+manera\s+)?(?:en\s+línea|virtual|online)\b`],
  nl: [String.raw`\b(?:deze|dit)\s+keer\b[^.!?\n]{0,40}?\bonline\b`, String.raw`\bvindt\s+(?:\p{L}+\s+){0,3}?online\s+plaats\b`, String.raw`\b(?:deze|onze)\s+online\s+meet-?up\b`],
  pl: [String.raw`\btym\s+razem\b[^.!?\n]{0,40}?\bonline\b`, String.raw`\bodbędzie\s+się\s+(?:\p{L}+\s+)?online\b`],
};

const compiled = new Map<string, { meetAt: RegExp; online: RegExp }>();

function patterns(languages: readonly string[]): { meetAt: RegExp; online: RegExp } {
  const key = languages.join(',');
  let found = compiled.get(key);
  if (!found) {
    const of = (table: Record<string, string[]>) => languages.flatMap((l) => table[l] ?? []).join('|') || '(?!)';
    // The place follows the phrase: an emphasised or linked name, or a name in capitals.
    found = { meetAt: new RegExp(`(?<![\\p{L}])(?:${of(MEET_AT)})\\s+`, 'giu'), online: new RegExp(of(MEETS_ONLINE), 'iu') };
    compiled.set(key, found);
  }
  return found;
}

/**
 * A sentence about what goes online beside the meetup (slides, recordings, a stream, the sign-up) or about a
 * meetup that is "also" online (hybrid) does not make the meetup an online one, in any language.
 */
const BESIDE_THE_MEETUP = /(?<![\p{L}])(?:slides?|folien|diapositives|supports|recordings?|recorded|aufzeichnung\w*|aufgezeichnet|enregistr\w*|grabaci\w*|opname\w*|nagrani\w*|videos?|vidéos?|vídeos?|stream\w*|registration|register|anmeldung|inscriptions?|inscri\w*|registro|aanmelding|rejestracja|tickets?|also|auch|aussi|también|ook|również)(?![\p{L}])/iu;

/** Whether a sentence of the announcement says the meetup itself is online. */
export function proseSaysOnline(lines: readonly SourceLine[], languages: readonly string[]): boolean {
  const { online } = patterns(languages);
  // What goes online is named before the word ("the slides will be online"); what follows is about something else.
  return lines.some((l) =>
    plainText(l.text)
      .split(/(?<=[.!?])\s+/)
      .some((sentence) => {
        const m = online.exec(sentence);
        return m !== null && !BESIDE_THE_MEETUP.test(sentence.slice(0, m.index + m[0].length));
      }),
  );
}

/**
 * Where a sentence ends: a full stop before a capital, not an address's abbreviation ("Av. Reforma 222",
 * "Hauptstr. Nr. 5", "Main St. 5").
 */
export const SENTENCE_END = /(?<![sS]tr|(?:^|[^\p{L}])(?:Av|Avda|Nr|No|St|Rd|Ave|Blvd|Pl|Bldg|Ste|ul|al))\.\s+(?=\p{Lu})/u;

const LEADING_TIME_THEN_AT = /^\d{1,2}(?:[:.h]\d{2}|h)?\s*(?:[ap]\.?m\.?|uhr)?\s+(?:at|chez|dans\s+les\s+locaux\s+de|bei|im)\s+/i;

/** Lower-case words that may sit inside a venue's name ("Institut de Génie", "House of Beer", "Café am Markt"). */
const NAME_JOINERS = new Set(['de', 'du', 'des', 'la', 'le', 'les', "l'", 'of', 'the', 'and', '&', '+', '-', 'am', 'an', 'im', 'der', 'die', 'das', 'für', 'y', 'del', 'van', 'het']);
const ARTICLE_WORDS = String.raw`(?:the|der|die|das|dem|den|la|le|les|l'|l’|el|los|las|het|de)\s+`;
const ARTICLE = new RegExp(`^${ARTICLE_WORDS}`, 'i');
/** "**Example Labs**", "[Example Labs](https://…)", "bei der **codecentric AG**": the writer marked the name. */
const MARKED_NAME = new RegExp(String.raw`^(?:${ARTICLE_WORDS})?(?:\*\*([^*]+)\*\*|__([^_]+)__|\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])?)`, 'i');

/** The place a sentence of the announcement names after a meeting phrase: its name, and the address after a comma. */
export function proseVenue(lines: readonly SourceLine[], languages: readonly string[], isOnline: (name: string) => boolean): { venue: string; address?: string } | undefined {
  const { meetAt } = patterns(languages);
  for (const l of lines) {
    for (const m of l.text.matchAll(meetAt)) {
      // "... at 6:30pm at **Acme**", "... à 19h chez **Alsace Digitale**": the time is not the place.
      const rest = l.text.slice(m.index + m[0].length).replace(LEADING_TIME_THEN_AT, '');
      const place = placeAt(rest);
      if (place && !isOnline(place.venue)) return place;
    }
  }
  return undefined;
}

function placeAt(markdown: string): { venue: string; address?: string } | undefined {
  let venue: string | undefined;
  let after: string;
  const marked = MARKED_NAME.exec(markdown);
  if (marked) {
    venue = plainText(marked[1] ?? marked[2] ?? marked[3]!).trim();
    after = markdown.slice(marked[0].length);
  } else {
    const text = plainText(markdown);
    const article = ARTICLE.exec(text)?.[0] ?? '';
    const words = text.slice(article.length).split(/(?<=\S)(?=\s)/);
    const name: string[] = [];
    for (const raw of words) {
      const word = raw.trim();
      // "Google's office": the name ends at its possessive.
      const bare = word.replace(/[,.;:!?)]+$/, '').replace(/['’]s$/, '');
      const capital = /^[\p{Lu}\p{N}]/u.test(bare);
      if (!capital && !(name.length > 0 && NAME_JOINERS.has(bare.toLowerCase()))) break;
      name.push(bare);
      if (bare !== word) break;
    }
    // A name ends with a word in capitals, not with "de" or "&".
    while (name.length > 0 && !/^[\p{Lu}\p{N}]/u.test(name.at(-1)!)) name.pop();
    if (name.length === 0 || name.length > 6) return undefined;
    venue = name.join(' ');
    after = text.slice(article.length + text.slice(article.length).indexOf(venue) + venue.length);
  }
  if (!venue) return undefined;
  // ", 1 High Street, Munich." up to the sentence's end: an address when it has a number.
  const tail = new RegExp(String.raw`^(?:['’]s)?(?:\s+\p{Ll}+){0,3}\s*,\s*([^!?\n]*?)(?:\.$|${SENTENCE_END.source}|[!?(]|$)`, 'u').exec(plainText(after));
  const address = tail && /\d/.test(tail[1]!) ? tail[1]!.replace(/[\s,;:]+$/, '').trim() : undefined;
  return { venue, ...(address ? { address } : {}) };
}
