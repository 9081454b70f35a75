import type { Platform } from '../chat/adapter';

export interface RateLimits {
  /** Minimum gap between two posts to the same channel (Slack: about one message per second per channel). */
  perChannelMs: Partial<Record<Platform, number>>;
  /** Requests per second across all channels of a platform (Discord: 50 per bot). */
  perSecond: Partial<Record<Platform, number>>;
}

/**
 * Slack allows ~1 message/s per channel (a margin keeps jitter from making it 0.99 s); Discord 50 requests/s
 * per bot, of which we use 48 so that queueing delays in between never push a second over the limit.
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

/**
 * Spaces requests so the platforms never have to say 429. Each call reserves the next free slot (per channel,
 * then in the platform's global rate) and sleeps until it: reservations made at once by concurrent senders
 * queue up instead of bursting. Global spacing is a steady 1/rate (GCRA without burst), which also keeps any
 * fixed one-second window on the server side under the limit.
 */
export class Pacer {
  private readonly channelFree = new Map<string, number>();
  private readonly platformFree = new Map<Platform, number>();

  constructor(
    private readonly limits: RateLimits = DEFAULT_RATE_LIMITS,
    private readonly clock: PacerTime = realTime,
  ) {}

  /** Resolves when a request to this channel may be sent. */
  async wait(platform: Platform, channel: string): Promise<void> {
    const now = this.clock.now();
    const at = this.reserve(platform, channel, now);
    if (at > now) await this.clock.sleep(at - now);
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
}
