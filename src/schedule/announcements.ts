import type { DateTime } from 'luxon';
import type { Catalogue } from '../catalogue/catalogue';
import type { CommunitySettings } from '../catalogue/settings';
import { formatPlainTime } from '../chat/message';
import { ArgumentError, type AnnouncementService, type Caller, type PlannedPost, type ScheduledPostSummary } from '../commands/definition';
import type { Clock } from '../clock';
import type { Db } from '../store/db';
import { planInput, type ScheduledCommunity } from './community-pass';
import { planPost, planRules, type PlannedGroup } from './plan';
import { ScheduledPosts } from './posts';
import { ScheduleState } from './state';
import { parseWhen, WHEN_EXAMPLES } from './when';

export interface AnnouncementStoreOptions {
  db: Db;
  clock: Clock;
  /** What the scheduler plans for this community (its data, rules, channels, feeds), so previews are exact. */
  community: Omit<ScheduledCommunity, 'organizers'>;
}

/** Longest text an organizer may schedule: fits a Discord message and a Slack section with room to spare. */
export const POST_TEXT_MAX = 1900;
const FURTHEST_AHEAD = { days: 366 };
/** How far ahead `preview` without an id looks. */
const PREVIEW_DAYS = 30;

/**
 * What /announce works on: organizers' ad-hoc posts (table scheduled_posts, sent by the Scheduler when due),
 * previews of exactly what the scheduler would post, and the pause switch. Everything goes through the
 * database, so a command in one process and the scheduler in another agree.
 */
export class AnnouncementStore implements AnnouncementService {
  private readonly posts: ScheduledPosts;
  private readonly state: ScheduleState;

  constructor(private readonly options: AnnouncementStoreOptions) {
    this.posts = new ScheduledPosts(options.db, options.community.id);
    this.state = new ScheduleState(options.db, options.community.id);
  }

  async schedule(when: string, content: { text?: string; eventId?: string }, by: Caller): Promise<ScheduledPostSummary> {
    const { catalogue, settings } = this.options.community.source();
    const now = this.options.clock.now().setZone(settings.timeZone);
    const at = this.resolveWhen(when, now, settings.timeZone);
    const checked = this.checkContent(content, catalogue);
    if (this.options.community.destinations.length === 0) {
      throw new ArgumentError('No announce channels are configured (SLACK_ANNOUNCE_CHANNELS, DISCORD_ANNOUNCE_CHANNELS, or `announce:` in the community\'s settings.yml), so there is nowhere to post.');
    }
    return this.inZone(await this.posts.add(at, checked, `${by.platform}:${by.name}`, now), settings);
  }

  async list(): Promise<ScheduledPostSummary[]> {
    const { settings } = this.options.community.source();
    return (await this.posts.scheduled()).map((p) => this.inZone(p, settings));
  }

  async cancel(id: number, _by: Caller): Promise<ScheduledPostSummary> {
    const post = await this.existing(id);
    if (!(await this.posts.cancel(id))) throw new ArgumentError(notScheduled(post));
    return this.inZone({ ...post, status: 'cancelled' }, this.options.community.source().settings);
  }

  async preview(id?: number): Promise<PlannedPost[]> {
    const input = planInput(this.options.community);
    if (id !== undefined) {
      const post = await this.existing(id);
      if (post.status !== 'scheduled') throw new ArgumentError(notScheduled(post));
      return expand(planPost(input, post));
    }
    const now = this.options.clock.now();
    const until = now.plus({ days: PREVIEW_DAYS });
    // Meetups the scheduler has not seen yet would be seen now, and posted at once if published late: from
    // just before now, so those show.
    const seen = await this.state.allSeen();
    const groups = planRules(input, (subject) => seen.get(subject) ?? now, now.minus({ milliseconds: 1 }), until);
    groups.push(...(await this.posts.scheduled()).filter((p) => p.dueAt <= until).map((p) => planPost(input, p)));
    return groups.flatMap(expand).sort((a, b) => a.dueAt.toMillis() - b.dueAt.toMillis());
  }

  async pause(by: Caller): Promise<void> {
    await this.state.pause(`${by.platform}:${by.name}`, this.options.clock.now());
  }

  resume(_by: Caller): Promise<boolean> {
    return this.state.resume();
  }

  async paused(): Promise<{ by: string; at: DateTime } | undefined> {
    const info = await this.state.paused();
    return info && { by: info.by, at: info.at.setZone(this.options.community.source().settings.timeZone) };
  }

  private resolveWhen(when: string, now: DateTime, zone: string): DateTime {
    const at = parseWhen(when, now, zone);
    if (!at) throw new ArgumentError(`Cannot read "${when}" as a time. Write it like ${WHEN_EXAMPLES} (${zone} time).`);
    if (at <= now) throw new ArgumentError(`${formatPlainTime(at, 'full')} is in the past (it is now ${formatPlainTime(now, 'full')}).`);
    if (at > now.plus(FURTHEST_AHEAD)) throw new ArgumentError(`${formatPlainTime(at, 'full')} is more than a year ahead; check the year.`);
    return at;
  }

  private checkContent(content: { text?: string; eventId?: string }, catalogue: Catalogue): { text?: string; eventId?: string } {
    if (content.eventId !== undefined) {
      const event = catalogue.byId(content.eventId);
      if (!event) throw new ArgumentError(`There is no meetup "${content.eventId}". /events lists them with their ids.`);
      if (event.status === 'cancelled') throw new ArgumentError(`${event.title} is cancelled; the bot posts the cancellation by itself.`);
      return { eventId: event.id };
    }
    const text = content.text?.trim() ?? '';
    if (text === '') throw new ArgumentError('Say what to post: text, or a meetup id such as "next".');
    if (text.length > POST_TEXT_MAX) throw new ArgumentError(`The text is too long: at most ${POST_TEXT_MAX} characters, got ${text.length}.`);
    return { text };
  }

  private async existing(id: number): Promise<ScheduledPostSummary> {
    const post = await this.posts.get(id);
    if (!post) throw new ArgumentError(`There is no scheduled post #${id}. /announce list shows them.`);
    return post;
  }

  private inZone(post: ScheduledPostSummary, settings: CommunitySettings): ScheduledPostSummary {
    return { ...post, dueAt: post.dueAt.setZone(settings.timeZone) };
  }
}

function expand(group: PlannedGroup): PlannedPost[] {
  const payload = group.payload();
  const label = group.problem ? `${payload.label} (will be skipped: ${group.problem})` : payload.label;
  return group.destinations.map((d) => ({ platform: d.platform, channel: d.channel, dueAt: group.dueAt, message: payload.message, label }));
}

function notScheduled(post: ScheduledPostSummary): string {
  return post.status === 'done' ? `#${post.id} has already been posted.` : `#${post.id} was cancelled.`;
}
