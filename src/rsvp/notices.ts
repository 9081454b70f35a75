import type { DateTime } from 'luxon';
import type { MeetupEvent } from '../catalogue/event';
import type { ChatPoster, Platform, PostOptions } from '../chat/adapter';
import { bold, link, message, time, type Button, type MessageModel, type RichText } from '../chat/message';
import { Outbox, stamp, type Delivery } from '../schedule/outbox';
import { sql } from 'kysely';
import type { Db } from '../store/db';
import type { Rsvp } from './rsvp';

/** Outbox channel for a direct message to one member; the DM poster below opens the conversation when sending. */
export const DM_PREFIX = 'dm:';
export const dmChannel = (userId: string): string => `${DM_PREFIX}${userId}`;

/**
 * Direct messages to members, written to the announcement outbox (Outbox.enqueue): the scheduler sends them with the same
 * guarantees as announcements (a delivery key written before sending and looked up after a crash, pacing,
 * retries with backoff, organizers told about failures). The delivery key makes each message exactly once:
 * one per promotion (the waitlist entry's queue number is in it) and one reminder per member and meetup.
 */
export class DirectNotices {
  constructor(
    private readonly db: Db,
    private readonly community?: string,
  ) {}

  /** Called inside the promotion's transaction (`tx`): the message exists if and only if the promotion does. */
  promoted(event: MeetupEvent, r: Rsvp, now: DateTime, tx: Db): Promise<boolean> {
    const key = `rsvp-promoted:${event.id}:${r.platform}:${r.userId}:${r.queueNo}`;
    return this.queue(key, r.platform, r.userId, event, `RSVP: moved up from the waitlist for ${event.title}`, promotedMessage(event), now, tx);
  }

  /** The day-before reminder for a member going who turned reminders on; false when it was queued before. */
  reminder(event: MeetupEvent, r: Pick<Rsvp, 'platform' | 'userId'>, now: DateTime): Promise<boolean> {
    const key = `rsvp-reminder:${event.id}:${r.platform}:${r.userId}`;
    return this.queue(key, r.platform, r.userId, event, `RSVP: reminder for ${event.title}`, reminderMessage(event), now, this.db);
  }

  /** Drops a member's queued and sent direct messages (they asked the bot to forget them). */
  forget(platform: Platform, userId: string): Promise<number> {
    return this.db.run(sql`DELETE FROM outbox WHERE kind = 'message' AND platform = ${platform} AND channel = ${dmChannel(userId)}`);
  }

  /** Retention: direct messages about meetups that ended before `before`. */
  purge(before: DateTime): Promise<number> {
    return this.db.run(sql`DELETE FROM outbox WHERE kind = 'message' AND channel LIKE 'dm:%' AND created_at < ${stamp(before)} AND event_id NOT IN (SELECT event_id FROM rsvps)`);
  }

  /** Worth sending until the meetup starts: a "you have a seat" after the doors opened helps nobody. */
  private async queue(key: string, platform: Platform, userId: string, event: MeetupEvent, label: string, model: MessageModel, now: DateTime, db: Db): Promise<boolean> {
    const delivery: Delivery = { key, to: { platform, channel: dmChannel(userId) }, message: model, label, worthUntil: event.start, eventId: event.id };
    return (await new Outbox(db, this.community).enqueue([delivery], now)).length === 1;
  }
}

function promotedMessage(event: MeetupEvent): MessageModel {
  const intro = ['A seat came free and you moved up from the waitlist: you are going to ', named(event), ', ', time(event.start, 'full'), '.'];
  const body = ['Cannot make it after all? Press Not going, or type /rsvp ', event.id, ', so the next person gets the seat.'];
  return seatMessage(event, 'You have a seat!', intro, body);
}

function reminderMessage(event: MeetupEvent): MessageModel {
  const intro = ['You are going to ', named(event), ', ', time(event.start, 'full'), ...(event.venue ? [' at ', event.venue] : []), '.'];
  return seatMessage(event, `Tomorrow: ${event.title}`, intro, ['Cannot make it? Press Not going so someone on the waitlist gets your seat.']);
}

/** A direct message to a member with a seat: a Not going button gives it to the waitlist. */
function seatMessage(event: MeetupEvent, title: string, intro: RichText, body: RichText): MessageModel {
  const buttons: Button[] = [{ id: `rsvp:no:${event.id}`, label: 'Not going', style: 'danger' }];
  return message({ title, intro, sections: [{ body }], buttons, footer: ['/rsvp reminders off stops these messages.'] });
}

const named = (event: MeetupEvent) => (event.url ? link(event.url, event.title) : bold(event.title));

/** What an adapter needs to reach a member directly: the id of the DM conversation with them. */
export interface DirectMessenger {
  openDirectMessage(userId: string): Promise<string>;
}

/**
 * A poster that understands "dm:<user>" channels: it opens (or finds) the direct conversation first, then posts
 * and looks up there like in any channel, so the outbox's crash recovery works for direct messages too.
 */
export function withDirectMessages<P extends ChatPoster>(poster: P & Partial<DirectMessenger>): ChatPoster {
  const resolve = async (channel: string) => {
    if (!channel.startsWith(DM_PREFIX)) return channel;
    if (!poster.openDirectMessage) throw new Error(`${poster.platform} cannot send direct messages`);
    return poster.openDirectMessage(channel.slice(DM_PREFIX.length));
  };
  return {
    platform: poster.platform,
    post: async (channel: string, model: MessageModel, options: PostOptions) => poster.post(await resolve(channel), model, options),
    edit: async (channel: string, messageId: string, model: MessageModel) => poster.edit(await resolve(channel), messageId, model),
    findPosted: async (channel: string, deliveryKey: string, since?: DateTime) => poster.findPosted(await resolve(channel), deliveryKey, since),
  };
}
