import type { Catalogue } from '../catalogue/catalogue';
import type { MeetupEvent } from '../catalogue/event';
import { PostError, type ChatPoster, type Platform } from '../chat/adapter';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { Outbox } from '../schedule/outbox';
import type { Db } from '../store/db';
import { countsOf, countsText, rsvpButton, withCounts } from './present';
import type { RsvpService } from './service';

export interface RsvpRuntimeOptions {
  db: Db;
  service: RsvpService;
  posters: ChatPoster[];
  catalogue: () => Catalogue;
  clock: Clock;
  log: Logger;
  /** At most one round of announcement edits per meetup in this window, however many members answer. */
  debounceMs?: number;
  /** A meetup's counts changed (e.g. to re-render the subscribe page). */
  onCountsChanged?: (eventId: string) => void;
  /** Whose announcements carry the counts (default: the single community). */
  community?: string;
}

const DEFAULT_DEBOUNCE_MS = 10_000;
/** How often reminders, counts, free seats and retention are looked at. */
const SWEEP_MS = 60_000;
const PURGE_EVERY_MS = 60 * 60_000;

/**
 * What RSVPs do over time: keeps "23 going, 4 on the waitlist" current on each announcement (debounced, so a
 * rush of answers is one edit per post, well within Slack's and Discord's edit limits), queues the day-before
 * reminders, moves the waitlist up when the host adds seats, and deletes RSVPs past their retention.
 */
export class RsvpRuntime {
  private readonly outbox: Outbox;
  private readonly posters: Map<Platform, ChatPoster>;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  /** Posts that cannot be edited (deleted, no access): not tried again until a restart. */
  private readonly uneditable = new Set<string>();
  private interval?: NodeJS.Timeout;
  private lastPurge = 0;
  private readonly lastCounts = new Map<string, string>();

  constructor(private readonly options: RsvpRuntimeOptions) {
    this.outbox = new Outbox(options.db, options.community);
    this.posters = new Map(options.posters.map((p) => [p.platform, p]));
  }

  start(): void {
    this.interval ??= setInterval(() => void this.sweep().catch((err: unknown) => this.options.log.error({ err }, 'rsvp sweep failed')), SWEEP_MS);
    this.interval.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.interval);
    this.interval = undefined;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled(this.running.values());
  }

  /** An answer changed a meetup's counts: edit its announcements once the window has passed. */
  changed(eventId: string): void {
    if (this.timers.has(eventId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(eventId);
      void this.refreshCounts(eventId);
    }, this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    timer.unref();
    this.timers.set(eventId, timer);
  }

  /** Edits every sent announcement of the meetup whose counts differ from the store's; one round at a time. */
  refreshCounts(eventId: string): Promise<void> {
    const previous = this.running.get(eventId) ?? Promise.resolve();
    const next = previous.then(() => this.editCounts(eventId)).finally(() => {
      if (this.running.get(eventId) === next) this.running.delete(eventId);
    });
    this.running.set(eventId, next);
    return next;
  }

  /** One pass: reminders due, counts to put right, seats the host added, retention. */
  async sweep(): Promise<void> {
    const now = this.options.clock.now();
    const { service } = this.options;
    for (const event of this.options.catalogue().upcoming(now)) {
      if (!event.rsvp || event.status === 'cancelled' || event.dateToBeConfirmed) continue;
      await service.refill(event);
      if (event.start.minus({ days: 1 }) <= now && now < event.start) await service.remind(event);
      await this.refreshCounts(event.id);
    }
    if (now.toMillis() - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = now.toMillis();
      const purged = await service.purge();
      if (purged.answers + purged.members + purged.messages > 0) this.options.log.info(purged, 'rsvp retention: deleted past RSVPs');
    }
  }

  private async editCounts(eventId: string): Promise<void> {
    const event = this.options.catalogue().byId(eventId);
    if (!event?.rsvp) return;
    const counts = await this.options.service.counts(eventId);
    const text = countsText(counts, event.rsvp.capacity);
    if (this.lastCounts.get(eventId) !== text) {
      this.lastCounts.set(eventId, text);
      this.options.onCountsChanged?.(eventId);
    }
    for (const row of await this.outbox.sentAbout(eventId)) {
      if (!row.messageId || this.uneditable.has(row.deliveryKey) || !carriesRsvp(row.payload.message.buttons, event)) continue;
      const shown = countsOf(row.payload.message);
      if (shown === text || (shown === undefined && counts.going + counts.waitlist === 0)) continue;
      const poster = this.posters.get(row.platform);
      if (!poster) continue;
      const updated = withCounts(row.payload.message, text);
      try {
        await poster.edit(row.channel, row.messageId, updated);
        await this.outbox.updateContent(row.deliveryKey, { ...row.payload, message: updated }, row.contentHash);
      } catch (error) {
        if (error instanceof PostError && !error.retryable) this.uneditable.add(row.deliveryKey);
        this.options.log.warn({ err: error, key: row.deliveryKey }, 'could not update the RSVP counts on an announcement');
      }
    }
  }
}

function carriesRsvp(buttons: { id: string }[], event: MeetupEvent): boolean {
  return buttons.some((b) => b.id === rsvpButton('going', event.id));
}
