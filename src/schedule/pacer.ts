import type { Platform } from '../chat/adapter';

export interface RateLimits {
  /** Minimum gap between two posts to the same channel (Slack: about one message per second per channel). */
  perChannelMs: Partial<Record<Platform, number>>;
  /** Requests per second across all channels of a platform (Discord: 50 per bot). */
  perSecond: Partial<Record<Platform, number>>;
}

/**
 * Slack allows ~1 message/s per channel (a margin keeps jitter from making it 0.99 s); Discord 50 requests/s
 * per bot, of which we use 48: the rest is room for the adapter's own calls and for timing jitter.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  perChannelMs: { slack: 1_100 },
  perSecond: { discord: 48 },
};

export interface PacerTime {
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTime: PacerTime = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const WINDOW_MS = 1_000;

/** Call when the request has been answered (or failed). */
export type Done = () => void;

interface Window {
  /** Requests released and not answered yet: they may reach the server at any moment. */
  inFlight: number;
  /** When recent requests were answered, oldest first: they reached the server no later than that. */
  answered: number[];
  wake: (() => void)[];
}

/**
 * Spaces requests so the platforms never have to say 429.
 * - Each call reserves the next free slot (per channel, and 1/rate apart per platform) and sleeps until it, so
 *   concurrent senders queue up instead of bursting.
 * - A platform rate is also a hard cap: requests in flight plus requests answered in the last second stay under
 *   it. A request reaches the server between its release and its answer, so whatever window the server counts
 *   in (Discord: one second from the first request), it never sees more than the rate. Counting releases alone
 *   is not enough: when the process stalls, or the adapter holds requests back after a 429, late requests land
 *   in the next second together with that second's own.
 */
export class Pacer {
  private readonly channelFree = new Map<string, number>();
  private readonly platformFree = new Map<Platform, number>();
  private readonly windows = new Map<Platform, Window>();

  constructor(
    private readonly limits: RateLimits = DEFAULT_RATE_LIMITS,
    private readonly clock: PacerTime = realTime,
  ) {}

  /** Resolves when a request to this channel may be sent; call the returned function once it is answered. */
  async wait(platform: Platform, channel: string): Promise<Done> {
    const now = this.clock.now();
    const at = this.reserve(platform, channel, now);
    if (at > now) await this.clock.sleep(at - now);
    const rate = this.limits.perSecond[platform];
    return rate ? this.enter(platform, Math.max(1, Math.floor(rate))) : () => undefined;
  }

  private reserve(platform: Platform, channel: string, now: number): number {
    const key = `${platform}:${channel}`;
    const gap = this.limits.perChannelMs[platform];
    const rate = this.limits.perSecond[platform];
    const at = Math.max(now, gap ? (this.channelFree.get(key) ?? 0) : 0, rate ? (this.platformFree.get(platform) ?? 0) : 0);
    if (gap) this.channelFree.set(key, at + gap);
    if (rate) this.platformFree.set(platform, at + 1000 / rate);
    return at;
  }

  private async enter(platform: Platform, cap: number): Promise<Done> {
    let window = this.windows.get(platform);
    if (!window) this.windows.set(platform, (window = { inFlight: 0, answered: [], wake: [] }));
    for (;;) {
      const now = this.clock.now();
      while (window.answered.length > 0 && window.answered[0]! <= now - WINDOW_MS) window.answered.shift();
      if (window.inFlight + window.answered.length < cap) break;
      // Room comes back when the oldest answer leaves the window, or when a request in flight is answered.
      const w = window;
      const answer = new Promise<void>((resolve) => w.wake.push(resolve));
      await (w.answered.length > 0 ? Promise.race([this.clock.sleep(w.answered[0]! + WINDOW_MS - now), answer]) : answer);
    }
    window.inFlight++;
    const w = window;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      w.inFlight--;
      w.answered.push(this.clock.now());
      for (const wake of w.wake.splice(0)) wake();
    };
  }
}
