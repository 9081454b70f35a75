import type { Config } from '../config';
import type { Clock } from '../clock';
import { openConfigured, type Db } from '../store/db';
import { SeenRequests } from '../store/seen-requests';
import { Outbox } from '../schedule/outbox';
import { CfpStore } from '../cfp/submissions';
import { FeedSequences } from '../feeds/sequence';

/**
 * The bot's database and the stores the wiring builds directly on it. This is the one place the database is
 * opened and closed; the services that take `db` (scheduler, RSVPs, announcements, Discord event sync) get it
 * from here.
 */
export interface Storage {
  readonly db: Db;
  /** Every post and notice, written before it is sent. */
  readonly outbox: Outbox;
  /** Signatures of accepted Slack requests, so a replay is refused. */
  readonly seenRequests: SeenRequests;
  readonly cfp: CfpStore;
  /** SEQUENCE numbers of feed entries, so calendar apps take an edit for a change. */
  readonly feedSequences: FeedSequences;
  close(): Promise<void>;
}

/**
 * Opens PostgreSQL when DATABASE_URL is set, else DATABASE_PATH (':memory:' for a fresh in-memory one); either is
 * migrated to the current schema first.
 */
export async function openStorage(config: Pick<Config, 'databasePath' | 'databaseUrl'>, clock: Clock): Promise<Storage> {
  const db = await openConfigured(config);
  return {
    db,
    outbox: new Outbox(db),
    seenRequests: new SeenRequests(db),
    cfp: new CfpStore(db, clock),
    feedSequences: new FeedSequences(db, clock),
    close: () => db.close(),
  };
}
