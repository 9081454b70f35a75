import { DateTime } from 'luxon';
import type { MeetupEvent } from '../catalogue/event';
import { isUndatedHistory } from '../catalogue/undated';
import type { Logger } from '../log';
import type { RemovalStore } from './removal-store';
import { parseTimes, stringifyTimes } from '../store/json-times';

/** A confirmed removal stays in the feeds as cancelled this long after the meetup's end, then leaves them. */
const CONFIRMED_KEEP_DAYS = 30;

/**
 * A post deleted from the source while its meetup was upcoming. `pending`: the meetup stays in service as its
 * last good version until an organizer confirms; `confirmed`: it stays as cancelled (feeds, chat posts).
 */
export interface Removal {
  id: string;
  state: 'pending' | 'confirmed';
  /** The file it came from, as diagnostics name it. */
  file: string;
  removedAt: DateTime;
  confirmedBy?: string;
  confirmedAt?: DateTime;
  /** The last good version the source had. */
  event: MeetupEvent;
}

export class RemovalError extends Error {}

export interface RemovalsOptions {
  /** Absent: records live only in memory (validate, tests of the folder source). */
  store?: RemovalStore;
  now: () => DateTime;
  log: Logger;
}

/**
 * Decides what a deleted post does. An upcoming meetup whose post disappears is held (a deletion may be a
 * mistake, and members may have planned on it) until an organizer confirms; confirmed, it is served as
 * cancelled, so calendars and chat posts say so instead of silently losing it. A post that comes back (the
 * file restored) wins over the record at once. Past meetups, already cancelled ones and renames (another post
 * added in the same load at the same start) are not held: they leave the catalogue with the load.
 */
export class Removals {
  private readonly records = new Map<string, Removal>();
  private readonly listeners: (() => void)[] = [];
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly options: RemovalsOptions) {}

  /** Reads the records kept by earlier runs; call before the first load of the files. */
  async load(): Promise<void> {
    for (const { id, json } of (await this.options.store?.all()) ?? []) {
      try {
        this.records.set(id, reviveRemoval(json));
      } catch (error) {
        this.options.log.warn({ err: error, id }, 'a removed post’s record cannot be read; it is dropped');
        this.persist(id, undefined);
      }
    }
  }

  /**
   * The meetups served although their post is gone: pending ones as they were, except that nothing new is
   * announced or reminded about them while the organizers decide; confirmed ones cancelled.
   */
  events(): MeetupEvent[] {
    return [...this.records.values()].map((r) => (r.state === 'confirmed' ? { ...r.event, status: 'cancelled' as const } : { ...r.event, announce: false }));
  }

  /** Every held or cancelled removal, most recently removed first. */
  all(): Removal[] {
    return [...this.records.values()].sort((a, b) => b.removedAt.toMillis() - a.removedAt.toMillis() || a.id.localeCompare(b.id));
  }

  pending(): Removal[] {
    return [...this.records.values()].filter((r) => r.state === 'pending');
  }

  get(id: string): Removal | undefined {
    return this.records.get(id);
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * After a load of the files (`before` undefined at start): holds upcoming meetups whose post vanished, lets go
   * of records whose post is back or whose time is over. Returns true when the held set changed.
   */
  reconcile(before: readonly MeetupEvent[] | undefined, after: readonly MeetupEvent[]): boolean {
    const now = this.options.now();
    const present = new Set(after.map((e) => e.id));
    let changed = false;
    for (const record of [...this.records.values()]) {
      if (present.has(record.id) || expired(record, now)) {
        this.records.delete(record.id);
        this.persist(record.id, undefined);
        this.options.log.info({ id: record.id, state: record.state, back: present.has(record.id) }, present.has(record.id) ? 'a removed post is back' : 'a removed post’s meetup is over; no longer served');
        changed = true;
      }
    }
    if (!before) return changed;
    const previous = new Set(before.map((e) => e.id));
    const addedStarts = new Set(after.filter((e) => !previous.has(e.id)).map((e) => e.start.toMillis()));
    for (const event of before) {
      if (present.has(event.id) || this.records.has(event.id)) continue;
      if (!isUpcoming(event, now) || addedStarts.has(event.start.toMillis())) continue;
      const record: Removal = { id: event.id, state: 'pending', file: event.source.file, removedAt: now, event };
      this.records.set(event.id, record);
      this.persist(event.id, record);
      this.options.log.warn({ id: event.id, file: event.source.file }, 'an upcoming meetup’s post was removed; it stays in service until an organizer confirms');
      changed = true;
    }
    return changed;
  }

  /** An organizer confirms: the meetup is cancelled in the feeds and the chat posts about it. */
  confirm(id: string, by: string): Removal {
    const record = this.records.get(id);
    if (!record) throw new RemovalError(`No removed post waits for confirmation as "${id}". /removals lists them.`);
    if (record.state === 'confirmed') throw new RemovalError(`${record.event.title} was already confirmed as cancelled by ${record.confirmedBy}.`);
    const confirmed: Removal = { ...record, state: 'confirmed', confirmedBy: by, confirmedAt: this.options.now() };
    this.records.set(id, confirmed);
    this.persist(id, confirmed);
    this.options.log.info({ id, by }, 'removal confirmed: the meetup is served as cancelled');
    for (const listener of this.listeners) listener();
    return confirmed;
  }

  /** Resolves when every record change so far is written. */
  async flushed(): Promise<void> {
    await this.writes;
  }

  private persist(id: string, record: Removal | undefined): void {
    const store = this.options.store;
    if (!store) return;
    this.writes = this.writes
      .then(() => (record ? store.put(id, serializeRemoval(record)) : store.delete(id)))
      .catch((err: unknown) => this.options.log.error({ err, id }, 'could not save a removed post’s record'));
  }
}

/** Upcoming as members see it: not over, or without a date and recent (see isUndatedHistory). */
function isUpcoming(event: MeetupEvent, now: DateTime): boolean {
  if (event.status === 'cancelled') return false;
  return event.dateToBeConfirmed ? !isUndatedHistory(event, now) : event.end > now;
}

function expired(record: Removal, now: DateTime): boolean {
  // A pending removal nobody confirmed ends with its meetup: a past meetup's post going is history being edited.
  if (record.state === 'pending') return !isUpcoming(record.event, now);
  return record.event.end.plus({ days: CONFIRMED_KEEP_DAYS }) < now;
}

/** JSON with each DateTime in its zone (json-times.ts), so the event comes back in the zone it was read in. */
export function serializeRemoval(record: Removal): string {
  return stringifyTimes(record, '$time');
}

export function reviveRemoval(json: string): Removal {
  const record = parseTimes(json, '$time') as Removal;
  if (!record.event?.id || !DateTime.isDateTime(record.event.start)) throw new Error('not a removal record');
  return record;
}
