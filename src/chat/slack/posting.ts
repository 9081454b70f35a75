import type { DateTime } from 'luxon';
import type { webApi } from '@slack/bolt';
import type { ChatPoster, PostOptions } from '../adapter';
import type { MessageModel } from '../message';
import { toPostError } from './errors';
import { address, type SlackWorkspaces } from './workspaces';
import { renderMessage } from './render';

/** Message metadata type marking the bot's own posts; its payload carries the outbox delivery key. */
export const POST_EVENT_TYPE = 'sremuc_post';
/** Without a `since`, findPosted reads this many pages of recent history. */
const HISTORY_PAGES = 5;
/** Slack recommends at most 200 messages per conversations.history page. */
const HISTORY_PAGE_SIZE = 200;

/**
 * The scheduler's side of Slack: posts marked with their delivery key in message metadata, edits, direct
 * conversations, and the history scan that finds a post made before a crash. SlackChat is one, with the connection.
 */
export class SlackPoster implements ChatPoster {
  readonly platform = 'slack' as const;
  /** Direct-message conversation per user (conversations.open answers the same id every time). */
  private readonly dms = new Map<string, string>();

  /**
   * `workspaces`: the clients of the workspace a channel is in. Posts and edits go through one that never retries
   * by itself (no retries, 429s handed back): Slack has no idempotency key, so a post retried after a timeout, a
   * reset or a 5xx may appear twice. The outbox looks the delivery key up in the channel instead, before any
   * resend. Reading calls (history, conversations.open) go through the retrying one.
   */
  constructor(protected readonly workspaces: SlackWorkspaces) {}

  async post(channel: string, model: MessageModel, { deliveryKey }: PostOptions): Promise<{ messageId: string }> {
    const { text, blocks } = renderMessage(model);
    const to = await this.workspaces.resolve(channel);
    try {
      const res = await to.poster.chat.postMessage({
        channel: to.id,
        text,
        blocks,
        unfurl_links: false,
        unfurl_media: false,
        metadata: { event_type: POST_EVENT_TYPE, event_payload: { delivery_key: deliveryKey } },
      });
      return { messageId: res.ts ?? '' };
    } catch (error) {
      throw toPostError('chat.postMessage', error);
    }
  }

  async edit(channel: string, messageId: string, model: MessageModel): Promise<void> {
    const { text, blocks } = renderMessage(model);
    const to = await this.workspaces.resolve(channel);
    try {
      await to.poster.chat.update({ channel: to.id, ts: messageId, text, blocks });
    } catch (error) {
      throw toPostError('chat.update', error);
    }
  }

  /**
   * The direct conversation with a member (opened if needed): where RSVP messages and CSV exports go. With several
   * workspaces the answer is team-qualified (`T…/D…`), so what is posted there goes out with that team's token.
   */
  async openDirectMessage(userId: string): Promise<string> {
    const known = this.dms.get(userId);
    if (known) return known;
    const to = await this.workspaces.resolve(userId);
    try {
      const res = await to.reader.conversations.open({ users: to.id });
      const id = res.channel?.id;
      if (!id) throw new Error('conversations.open returned no channel');
      if (this.dms.size >= 1_000) this.dms.clear();
      const conversation = address(to.team, id);
      this.dms.set(userId, conversation);
      return conversation;
    } catch (error) {
      throw toPostError('conversations.open', error);
    }
  }

  /**
   * Scans history for a message of ours whose metadata carries the delivery key: every page back to `since`
   * (Slack's `oldest`), or a few pages of recent history without it.
   */
  async findPosted(channel: string, deliveryKey: string, since?: DateTime): Promise<string | undefined> {
    const to = await this.workspaces.resolve(channel);
    let cursor: string | undefined;
    const oldest = since && (since.toMillis() / 1000).toFixed(6);
    for (let page = 0; oldest !== undefined || page < HISTORY_PAGES; page++) {
      const res = await this.history(to.reader, to.id, cursor, oldest);
      const found = res.messages?.find((m) => m.metadata?.event_type === POST_EVENT_TYPE && deliveryKeyOf(m.metadata.event_payload) === deliveryKey);
      if (found?.ts) return found.ts;
      cursor = res.response_metadata?.next_cursor;
      if (!res.has_more || !cursor) return undefined;
    }
    return undefined;
  }

  private async history(reader: webApi.WebClient, channel: string, cursor: string | undefined, oldest: string | undefined) {
    try {
      return await reader.conversations.history({ channel, cursor, oldest, limit: HISTORY_PAGE_SIZE, include_all_metadata: true });
    } catch (error) {
      throw toPostError('conversations.history', error);
    }
  }
}

function deliveryKeyOf(payload: object | undefined): unknown {
  return (payload as { delivery_key?: unknown } | undefined)?.delivery_key;
}
