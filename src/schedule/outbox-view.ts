import type { Outbox, OutboxRow } from './outbox';
import type { OutboxView } from './planner';

/**
 * The planner is pure and synchronous; the outbox is in a database that answers asynchronously. A planning pass
 * therefore runs against this snapshot: whatever the pass asks for that the snapshot does not hold yet is noted,
 * fetched in a few queries, and the pass runs again, until it asked only for what is there (two or three passes:
 * a cancellation's destinations come from the posts it follows up). The planner's answer is that of the last pass.
 */
export class OutboxSnapshot implements OutboxView {
  private readonly present = new Set<string>();
  private readonly checked = new Set<string>();
  private readonly about = new Map<string, OutboxRow[]>();
  private pending?: OutboxRow[];
  private wantKeys = new Set<string>();
  private wantEvents = new Set<string>();
  private wantPending = false;

  get complete(): boolean {
    return this.wantKeys.size === 0 && this.wantEvents.size === 0 && !this.wantPending;
  }

  incomplete(): boolean {
    return this.wantKeys.size > 0;
  }

  existing(keys: string[]): Set<string> {
    for (const key of keys) if (!this.checked.has(key)) this.wantKeys.add(key);
    return new Set(keys.filter((key) => this.present.has(key)));
  }

  sentAbout(eventId: string): OutboxRow[] {
    return this.rowsAbout(eventId).filter((r) => r.status === 'sent');
  }

  unsentAbout(eventId: string): OutboxRow[] {
    return this.rowsAbout(eventId).filter((r) => r.status === 'pending' || r.status === 'sending');
  }

  pendingAboutEvents(): OutboxRow[] {
    if (!this.pending) this.wantPending = true;
    return this.pending ?? [];
  }

  /** Fetches what the last pass asked for. */
  async fill(outbox: Outbox): Promise<void> {
    const keys = [...this.wantKeys];
    const events = [...this.wantEvents];
    this.wantKeys = new Set();
    this.wantEvents = new Set();
    for (const key of await outbox.existing(keys)) this.present.add(key);
    for (const key of keys) this.checked.add(key);
    for (const [eventId, rows] of await outbox.followUpRows(events)) this.about.set(eventId, rows);
    for (const eventId of events) if (!this.about.has(eventId)) this.about.set(eventId, []);
    if (this.wantPending) {
      this.pending = await outbox.pendingAboutEvents();
      this.wantPending = false;
    }
  }

  private rowsAbout(eventId: string): OutboxRow[] {
    const rows = this.about.get(eventId);
    if (!rows) this.wantEvents.add(eventId);
    return rows ?? [];
  }
}

/** Runs `pass` (a planner call reading `view`) until the snapshot held everything it asked for. */
export async function planAgainst<T>(outbox: Outbox, pass: (view: OutboxView) => T): Promise<T> {
  const view = new OutboxSnapshot();
  for (;;) {
    const result = pass(view);
    if (view.complete) return result;
    await view.fill(outbox);
  }
}
