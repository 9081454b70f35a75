import type { DateTime } from 'luxon';
import type { MessageModel } from './message';

export type Platform = 'slack' | 'discord' | 'console';

/** Where a post goes: a channel on one platform. */
export interface Destination {
  platform: Platform;
  channel: string;
}

export interface PostOptions {
  /**
   * Unique per (rule or post, event, platform, channel). Adapters attach it to the message (Slack message
   * metadata, Discord nonce + embed footer) so a crash between send and mark can be detected on restart.
   */
  deliveryKey: string;
}

/** Something the scheduler can post through. Each chat adapter is one (Slack's and Discord's are their poster). */
export interface ChatPoster {
  readonly platform: Platform;
  post(channel: string, message: MessageModel, options: PostOptions): Promise<{ messageId: string }>;
  edit(channel: string, messageId: string, message: MessageModel): Promise<void>;
  /**
   * Looks for a message already sent with this delivery key, reading the channel's history back to `since`
   * (every page of it) or, without `since`, its recent history.
   */
  findPosted(channel: string, deliveryKey: string, since?: DateTime): Promise<string | undefined>;
}

export interface ChatAdapter extends ChatPoster {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A failed post. `retryable` says whether trying again can help (429, 5xx, network) or not
 * (channel_not_found, not_in_channel, missing permissions). `ambiguous` says the platform may have posted it
 * all the same (a timeout, a reset connection, a 5xx): its outcome is unknown, and it must be looked up before
 * any resend. A 429 or a refusal is not ambiguous: nothing was posted.
 */
export class PostError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly ambiguous = false,
  ) {
    super(message);
    this.name = 'PostError';
  }
}

/**
 * Tells the organizers: a message to every organizers' channel, through the outbox (src/bot/organizer-notices.ts).
 * Used for CfP submissions, failed commands and full meetups.
 */
export type OrganizerNotifier = (message: MessageModel) => Promise<void>;
