/**
 * Where a post's meetup is: a venue and address from the front matter, a location section or label, or the
 * title ("SRE Munich at Nordcloud 2024"); online when the venue, the title or the location says so, at the
 * meeting link the post gives (else the event's page).
 */
import type { SafeUrl } from '../catalogue/safe-url';
import type { FrontMatter } from './front-matter';
import { NO_LOOKUPS, resolveId, type Lookups } from './lookups';
import { paragraphs, plainParagraphs, plainText, sectionKey, type Section, type SourceLine } from './markdown-text';
import { firstValue, valueAt, type HeadingKind, type Profile } from './profile';
import { proseSaysOnline, proseVenue, SENTENCE_END } from './prose-place';

interface Whereabouts {
  venue?: string;
  address?: string;
  /** The meeting link, or the event's page for a meetup that says it is online but links nowhere yet. */
  online?: string;
}

export class PostPlace {
  constructor(
    private readonly fm: FrontMatter,
    private readonly body: string,
    private readonly sections: Section[],
    private readonly profile: Profile,
    private readonly lookups: Lookups | undefined,
  ) {}

  /** `announcement`: the lines of the post's own prose (PostReader.announcement). */
  where(title: string, pageUrl: SafeUrl | undefined, announcement: readonly SourceLine[]): Whereabouts {
    const onlineVenue = this.onlineVenue();
    const saysOnline = proseSaysOnline(announcement, this.profile.languages);
    const place = onlineVenue ? {} : this.place(title, announcement, saysOnline);
    const online = this.fm.online ?? onlineVenue?.link ?? (this.fm.meetsOnline === false ? undefined : this.onlineLink() ?? this.profile.onlineLink ?? (this.fm.meetsOnline || onlineVenue || this.meetsOnline(title, place, saysOnline) ? pageUrl : undefined));
    return { ...place, online };
  }

  private is(kind: HeadingKind, section: Section): boolean {
    return this.profile.headings[kind].test(section.key);
  }

  /** The section under a location heading ("## Location", "## Ort"), if any. */
  private locationSection(): Section | undefined {
    return this.sections.find((s) => s.level > 0 && this.is('location', s));
  }

  /**
   * A meetup without a venue whose title, location or announcement says it is online ("SRE Munich Spring Online
   * Event 2020", `## Location` "Online", "diesmal online"): online even when the post has no meeting link yet.
   */
  private meetsOnline(title: string, place: { venue?: string; address?: string }, saysOnline: boolean): boolean {
    if (place.venue || place.address) return false;
    if (saysOnline) return true;
    const location = this.locationSection();
    const where = location ? plainParagraphs(location.lines) : '';
    return this.profile.onlineWords.test(title) || this.profile.onlineWords.test(where.slice(0, 80));
  }

  /** "👉 en ligne sur Discord 👈" as the venue: online, at the venue's own link (`location.url` beside `location.name`). */
  private onlineVenue(): { link?: string } | undefined {
    const venue = this.fm.venue;
    if (!venue || this.fm.address || /\d/.test(venue) || !this.profile.onlineWords.test(venue)) return undefined;
    const path = firstValue(this.fm.raw, this.profile.frontMatter.venue)?.path;
    const link = path?.includes('.') ? valueAt(this.fm.raw, path.replace(/[^.]+$/, 'url')) : undefined;
    return { link: typeof link === 'string' && /^https?:\/\//.test(link) ? link : undefined };
  }

  private place(title: string, announcement: readonly SourceLine[], saysOnline: boolean): { venue?: string; address?: string } {
    if (this.fm.venue || this.fm.address) return { venue: this.fm.venue && resolveId((this.lookups ?? NO_LOOKUPS).venues, this.fm.venue), address: this.fm.address };
    const location = this.locationSection();
    const first = location ? paragraphs(location.lines)[0] : this.labelledLocation();
    if (first) {
      // "This meetup will be held at the ORBIT Lab, Finlandsgade 20 in Aarhus. Please …": the place, not the sentence.
      const line = plainText(first[0]!.text.replace(/\(\s*https?:\/\/[^)]*\)|https?:\/\/\S+/g, ''))
        .split(SENTENCE_END)[0]!
        .replace(/^(?:this|the)\s+(?:meetup|event)\s+(?:will\s+be\s+|is\s+)?(?:held\s+|hosted\s+)?(?:at|in|by)\s+(?:the\s+)?/i, '')
        .replace(/\.$/, '')
        .trim();
      // "Lind Capital at Mariane Thomsens Gade 2F, 9th floor": the host, then where it is.
      const at = /^(\D+?)\s+at\s+(.*\d.*)$/.exec(line);
      if (at) return { venue: at[1]!.trim(), address: at[2]!.trim() };
      const comma = line.indexOf(',');
      // "Margrethepladsen 4, 3, 8000 Aarhus": a street first is an address, not a venue's name.
      if (comma > 0 && /\d/.test(line.slice(comma)) && !/\d/.test(line.slice(0, comma))) return { venue: line.slice(0, comma).trim(), address: line.slice(comma + 1).trim() };
      if (line) return { venue: line };
    }
    // "This time online": the host a title names ("SRE Munich at Example") is no place to go to.
    if (saysOnline || /\bonline\b/i.test(title)) return {};
    // "We meet at **Example Labs**, 1 High Street, Munich", "Wir treffen uns bei ...", "chez ...".
    const prose = proseVenue(announcement, this.profile.languages, (name) => this.profile.onlineWords.test(name));
    const host = /\bat\s+(.+?)(?:\s+\d{4})?$/i.exec(title)?.[1];
    // A host in the title outranks a sentence naming another place ("join us at KubeCon"), unless the sentence
    // names the same host (and says where it is).
    const same = (a: string, b: string) => a.toLowerCase().includes(b.toLowerCase()) || b.toLowerCase().includes(a.toLowerCase());
    if (prose && (!host || same(prose.venue, host))) return prose;
    return host ? { venue: this.proseSpelling(host) } : {};
  }

  /**
   * "Location: Example GmbH, Hauptstraße 1", "**Ort:** ..." or "📍 Example GmbH, ..." (a pin for its label) on a
   * line of its own: read like a location section.
   */
  private labelledLocation(): SourceLine[] | undefined {
    for (const section of this.sections) {
      for (const l of section.lines) {
        const text = l.text.trim();
        const m = /^(?:[-*+]\s+)?(?:\*\*|__)?([\p{L} ]{2,20}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)?\s*:)\s*(\S.*)$/u.exec(text);
        if (m && this.profile.headings.location.test(sectionKey(m[1]!))) return [{ text: m[2]!, line: l.line }];
        const pinned = /^(?:[-*+]\s+)?(?:\*\*|__)?(?:📍|📌|🗺️?)\s*(?:[\p{L} ]{2,20}:\s*)?(?:\*\*|__)?\s*(\S.*)$/u.exec(text);
        if (pinned) return [{ text: pinned[1]!, line: l.line }];
      }
    }
    return undefined;
  }

  /** "at nordcloud" in a title, "at Nordcloud" in the prose: the prose is usually the careful spelling. */
  private proseSpelling(name: string): string {
    const wanted = name.toLowerCase();
    for (const l of this.sections[0]!.lines) {
      const at = l.text.toLowerCase().indexOf(wanted);
      const found = at >= 0 ? l.text.slice(at, at + name.length) : '';
      if (found && found !== name && /^\p{Lu}/u.test(found) && !/[\p{L}\p{N}]/u.test(l.text[at + name.length] ?? '')) return found;
    }
    return name;
  }

  /** A meeting link anywhere in the post (online events rarely say `online:` in the front matter). */
  private onlineLink(): string | undefined {
    const meeting = /https?:\/\/(?:[\w-]+\.)?(?:zoom\.us|meet\.google\.com|teams\.microsoft\.com|teams\.live\.com|meet\.jit\.si|whereby\.com|webex\.com|bbb\.[\w.-]+)\/[^\s)>\]]*/i.exec(this.body);
    return meeting?.[0];
  }
}
