import type { DateTime } from 'luxon';
import type { MeetupEvent } from './event';

export interface FindResult {
  event?: MeetupEvent;
  /** Closest event ids when nothing matched: for "did you mean". */
  suggestions: string[];
}

/**
 * The one in-memory view of all events, sorted by start. Immutable: a reload builds a new Catalogue,
 * so a reader never sees half an update.
 */
export class Catalogue {
  readonly events: readonly MeetupEvent[];
  private readonly byIdMap: Map<string, MeetupEvent>;

  constructor(events: readonly MeetupEvent[]) {
    this.events = [...events].sort((a, b) => a.start.toMillis() - b.start.toMillis() || a.id.localeCompare(b.id));
    this.byIdMap = new Map(this.events.map((e) => [e.id, e]));
  }

  byId(id: string): MeetupEvent | undefined {
    return this.byIdMap.get(id);
  }

  /** The next meetup that has not ended yet (a meetup in progress is still "next"); cancelled ones are skipped. */
  next(now: DateTime): MeetupEvent | undefined {
    return this.events.find((e) => e.end > now && e.status !== 'cancelled');
  }

  upcoming(now: DateTime): MeetupEvent[] {
    return this.events.filter((e) => e.end > now && e.status !== 'cancelled');
  }

  /** Past meetups, most recent first. */
  past(now: DateTime): MeetupEvent[] {
    return this.events.filter((e) => e.end <= now).reverse();
  }

  last(now: DateTime): MeetupEvent | undefined {
    return this.past(now).find((e) => e.status !== 'cancelled');
  }

  /**
   * Finds one event by what a member would type: "next", "last", an id, a date ("2023-06", "2023-06-13"),
   * or words from the title, venue, talks or speakers ("celonis").
   */
  find(query: string, now: DateTime): FindResult {
    const q = query.trim().toLowerCase();
    if (q === '' || q === 'next') return { event: this.next(now), suggestions: [] };
    if (q === 'last' || q === 'previous' || q === 'latest') return { event: this.last(now), suggestions: [] };
    const exact = this.byIdMap.get(q);
    if (exact) return { event: exact, suggestions: [] };

    const date = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(q);
    if (date) {
      const match = this.events.find((e) => e.start.toISODate()!.startsWith(q));
      return { event: match, suggestions: match ? [] : this.nearestByDate(q) };
    }

    const words = q.split(/\s+/);
    const scored = this.events
      .map((e) => ({ e, score: words.filter((w) => searchText(e).includes(w)).length }))
      .filter((s) => s.score === words.length);
    if (scored.length > 0) {
      // Several match ("google"): the one nearest in time to now is what people mean.
      scored.sort((a, b) => Math.abs(a.e.start.diff(now).toMillis()) - Math.abs(b.e.start.diff(now).toMillis()));
      return { event: scored[0].e, suggestions: [] };
    }
    return { suggestions: this.similarIds(q) };
  }

  private nearestByDate(q: string): string[] {
    return [...this.events]
      .sort((a, b) => Math.abs(dateDistance(a, q)) - Math.abs(dateDistance(b, q)))
      .slice(0, 3)
      .map((e) => e.id);
  }

  private similarIds(q: string): string[] {
    const allowed = Math.max(2, Math.floor(q.length / 3));
    // Meetups share most words ("munich", "sre", hosts): each distinct word is measured once per query, and a
    // word whose length alone puts it out of reach not at all.
    const distances = new Map<string, number>();
    const distanceTo = (word: string): number => {
      if (!distances.has(word)) distances.set(word, Math.abs(word.length - q.length) > allowed ? Infinity : editDistance(q, word));
      return distances.get(word)!;
    };
    return this.events
      .map((e) => ({ id: e.id, d: Math.min(...candidateWords(e).map(distanceTo)) }))
      .filter((c) => c.d <= allowed)
      .sort((a, b) => a.d - b.d)
      .slice(0, 3)
      .map((c) => c.id);
  }
}

function searchText(e: MeetupEvent): string {
  return [e.id, e.title, e.venue, e.address, ...e.talks.flatMap((t) => [t.title, ...t.speakers.map((s) => `${s.name} ${s.company ?? ''}`)])]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

function candidateWords(e: MeetupEvent): string[] {
  return [...new Set([e.id, ...searchText(e).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2)])];
}

function dateDistance(e: MeetupEvent, q: string): number {
  const [y, m] = q.split('-').map(Number);
  return (e.start.year - y) * 12 + (e.start.month - m);
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
