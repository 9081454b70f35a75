import { createHash } from 'node:crypto';
import type { DateTime } from 'luxon';
import { Routes, type APIMessage, type REST } from 'discord.js';
import type { MessageModel } from '../message';
import type { ChatPoster, PostOptions } from '../adapter';
import { toPostError } from './errors';
import { renderMessage } from './render';

const HISTORY_PAGE_SIZE = 100;
/** Without a `since`, findPosted reads this many pages of recent history. */
const HISTORY_PAGES = 5;
const MEMORY_MAX = 500;
const MARKER_PATTERN = /ref ([0-9a-f]{16})$/;

/**
 * The 16-hex-digit reference for a delivery key: sent as the message nonce (Discord refuses a second message
 * with the same nonce for a few minutes when enforce_nonce is set) and shown in the footer, where findPosted()
 * can still see it after a restart (fetched messages do not carry the nonce).
 */
export function deliveryMarker(deliveryKey: string): string {
  return createHash('sha256').update(deliveryKey).digest('hex').slice(0, 16);
}

/**
 * The scheduler's side of Discord, over REST only: posts carrying their delivery reference, edits that keep it,
 * direct-message channels, and the history scan that finds a post made before a crash. DiscordChat is one, with
 * the connections.
 */
export class DiscordPoster implements ChatPoster {
  readonly platform = 'discord' as const;
  private readonly markers = new Map<string, string>();
  private readonly dms = new Map<string, string>();

  /** `ownId`: the bot's own user id (messages by anyone else never count as ours). */
  constructor(
    readonly rest: REST,
    protected ownId: string,
  ) {}

  async post(channel: string, model: MessageModel, { deliveryKey }: PostOptions): Promise<{ messageId: string }> {
    const marker = deliveryMarker(deliveryKey);
    const body = { ...renderMessage({ ...model, ephemeral: false }, { marker }), nonce: marker, enforce_nonce: true };
    try {
      const sent = (await this.rest.post(Routes.channelMessages(channel), { body })) as APIMessage;
      this.remember(sent.id, marker);
      return { messageId: sent.id };
    } catch (error) {
      throw toPostError(`post to ${channel}`, error);
    }
  }

  /** Replaces the message's content and embeds, keeping the delivery reference in its footer. */
  async edit(channel: string, messageId: string, model: MessageModel): Promise<void> {
    const { rest } = this;
    try {
      const marker = this.markers.get(messageId) ?? markerOf((await rest.get(Routes.channelMessage(channel, messageId))) as APIMessage);
      const rendered = renderMessage({ ...model, ephemeral: false }, { marker });
      // A PATCH leaves out what it does not name: clear the content when the new version is an embed, and
      // lift a link-preview suppression a plain version had, or the new embed would be hidden.
      await rest.patch(Routes.channelMessage(channel, messageId), { body: { ...rendered, content: rendered.content ?? '', flags: rendered.flags ?? 0 } });
    } catch (error) {
      throw toPostError(`edit of ${messageId} in ${channel}`, error);
    }
  }

  /** The direct-message channel with a member (POST /users/@me/channels answers the same one every time). */
  async openDirectMessage(userId: string): Promise<string> {
    const known = this.dms.get(userId);
    if (known) return known;
    try {
      const channel = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
      if (this.dms.size >= MEMORY_MAX) this.dms.clear();
      this.dms.set(userId, channel.id);
      return channel.id;
    } catch (error) {
      throw toPostError(`opening a direct message with ${userId}`, error);
    }
  }

  /**
   * Scans history for a message of ours carrying the delivery key's reference: every page back to `since`, or a
   * few pages of recent history without it.
   */
  async findPosted(channel: string, deliveryKey: string, since?: DateTime): Promise<string | undefined> {
    const marker = deliveryMarker(deliveryKey);
    let before: string | undefined;
    for (let page = 0; since !== undefined || page < HISTORY_PAGES; page++) {
      const query = new URLSearchParams({ limit: String(HISTORY_PAGE_SIZE), ...(before ? { before } : {}) });
      let messages: APIMessage[];
      try {
        messages = (await this.rest.get(Routes.channelMessages(channel), { query })) as APIMessage[];
      } catch (error) {
        throw toPostError(`history of ${channel}`, error);
      }
      const found = messages.find((m) => m.author.id === this.ownId && (m.nonce === marker || markerOf(m) === marker));
      if (found) {
        this.remember(found.id, marker);
        return found.id;
      }
      const oldest = messages[messages.length - 1];
      if (messages.length < HISTORY_PAGE_SIZE || (since && Date.parse(oldest!.timestamp) < since.toMillis())) return undefined;
      before = oldest!.id;
    }
    return undefined;
  }

  private remember(messageId: string, marker: string): void {
    if (this.markers.size >= MEMORY_MAX) this.markers.delete(this.markers.keys().next().value!);
    this.markers.set(messageId, marker);
  }
}

function markerOf(m: Pick<APIMessage, 'content' | 'embeds'>): string | undefined {
  const footer = m.embeds?.at(-1)?.footer?.text;
  return (footer && MARKER_PATTERN.exec(footer)?.[1]) ?? MARKER_PATTERN.exec(m.content ?? '')?.[1];
}
