import type { Client } from 'discord.js';
import type { Logger } from '../../log';
import { DEFAULT_LEASE_TIMING, type Lease } from '../../schedule/lease';

/** One shard's lease in the shared database, the scheduler's kind: one replica at a time holds it. */
export type ShardLease = Pick<Lease, 'acquire' | 'release'>;

export interface GatewayShardsOptions {
  shardCount: number;
  /** Each shard's lease; without leases (no shared database) this process holds every shard. */
  lease?: (shard: number) => ShardLease;
  /** Opens the gateway session of one shard: a client logged in on that shard and ready. */
  open: (shard: number) => Promise<Client>;
  log: Logger;
}

/** Beaten (held) or looked at (not held) as often as the scheduler's lease, and taken over after as long a silence. */
const { beatMs, ttlMs } = DEFAULT_LEASE_TIMING;

/**
 * One gateway session per shard across all replicas. Discord sends a shard's events to every session open on it,
 * so two replicas identifying on one shard would both receive, and both try to answer, each interaction. Each
 * shard has a lease in the database; only its holder opens a session, every other replica posts over REST
 * alone. The holder beats the lease every `beatMs`; when it stops (killed, stopped, cut off from the database), a
 * contender takes the shard once the lease stood still for `ttlMs` and opens its own session. A holder that loses
 * its lease closes its session at its next beat, and one that cannot reach the database closes it before a
 * contender could have taken over (a beat older than ttl − beat), so sessions of one shard do not overlap while
 * the processes run; a holder frozen whole (SIGSTOP, a stalled VM) cannot close anything until it runs again, and
 * Discord drops its silent connection after a missed heartbeat or two.
 */
export class GatewayShards {
  private readonly sessions = new Map<number, Client>();
  private readonly opening = new Map<number, Promise<void>>();
  private readonly lastBeat = new Map<number, number>();
  /** The shards whose lease this process held at its last look. */
  private readonly holding = new Set<number>();
  private readonly leases: (ShardLease | undefined)[];
  private timer?: NodeJS.Timeout;
  private turn: Promise<void> = Promise.resolve();
  private stopped = false;
  private starting = true;

  constructor(private readonly options: GatewayShardsOptions) {
    this.leases = Array.from({ length: options.shardCount }, (_, shard) => options.lease?.(shard));
  }

  /** Takes the shards that are free now and opens their sessions (a rejected token fails here); then keeps beating. */
  async start(): Promise<void> {
    await this.look();
    await Promise.all(this.opening.values());
    this.starting = false;
    if (this.leases.some((l) => l !== undefined)) this.timer = setInterval(() => void this.beat(), beatMs);
  }

  /** The shards whose session this process holds. */
  held(): number[] {
    return [...this.sessions.keys()].sort((a, b) => a - b);
  }

  session(shard: number): Client | undefined {
    return this.sessions.get(shard);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.turn;
    await Promise.all(this.opening.values());
    for (const [shard, client] of [...this.sessions]) {
      this.sessions.delete(shard);
      await client.destroy();
    }
    // Closed first, released after: the next holder's session never overlaps this one.
    for (const shard of this.holding) await this.leases[shard]?.release().catch(() => undefined);
    this.holding.clear();
  }

  private beat(): void {
    this.turn = this.turn.then(() => this.look()).catch((error: unknown) => this.options.log.warn({ err: error }, 'discord gateway shards: a lease round failed'));
  }

  private async look(): Promise<void> {
    for (const [shard, lease] of this.leases.entries()) {
      if (this.stopped) return;
      let holds: boolean;
      try {
        holds = lease ? (await lease.acquire()) !== undefined : true;
        if (holds) this.lastBeat.set(shard, performance.now());
        else this.lastBeat.delete(shard);
      } catch (error) {
        // The database did not answer: keep the session only while no contender can have taken the shard yet.
        holds = performance.now() - (this.lastBeat.get(shard) ?? -Infinity) < ttlMs - beatMs;
        this.options.log.warn({ err: error, shard, keeping: holds && this.sessions.has(shard) }, 'could not beat a discord gateway shard lease');
      }
      if (holds) this.holding.add(shard);
      else this.holding.delete(shard);
      const session = this.sessions.get(shard);
      if (holds && !session && !this.opening.has(shard)) {
        // Opened in the background: the other shards' leases keep beating while this one logs in.
        const opened = this.openSession(shard, lease).finally(() => this.opening.delete(shard));
        this.opening.set(shard, opened);
      } else if (!holds && session) {
        this.sessions.delete(shard);
        this.options.log.warn({ shard }, 'discord gateway shard taken over by another replica; closing this session');
        await session.destroy();
      }
    }
  }

  private async openSession(shard: number, lease: ShardLease | undefined): Promise<void> {
    let client: Client;
    try {
      client = await this.options.open(shard);
    } catch (error) {
      // At start-up the bot stops with the reason; later another replica (or this one, at a later beat) tries.
      if (this.starting) throw error;
      this.options.log.error({ err: error, shard }, 'could not open the discord gateway session of a shard; letting another replica try');
      await lease?.release().catch(() => undefined);
      return;
    }
    // Stopped, or the lease was lost while logging in: this session must not stay open beside the new holder's.
    if (this.stopped || !this.holding.has(shard)) return void (await client.destroy());
    this.sessions.set(shard, client);
    this.options.log.info({ shard, shards: this.options.shardCount }, 'discord gateway shard held: this replica opened its session');
  }
}
