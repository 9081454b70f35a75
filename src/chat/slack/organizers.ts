import type { webApi } from '@slack/bolt';
import type { Logger } from '../../log';

const CACHE_MS = 60_000;

/**
 * Decides whether a Slack user is an organizer: listed by id, or a member of the organizers' user group. The
 * group's members are cached for a minute so a burst of commands costs one usergroups.users.list call.
 */
export class OrganizerCheck {
  private members?: { users: Set<string>; fetchedAt: number };

  constructor(
    private readonly client: webApi.WebClient,
    private readonly userIds: readonly string[],
    private readonly usergroup: string | undefined,
    private readonly log: Logger,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async isOrganizer(userId: string): Promise<boolean> {
    if (this.userIds.includes(userId)) return true;
    if (!this.usergroup) return false;
    return (await this.groupMembers()).has(userId);
  }

  private async groupMembers(): Promise<Set<string>> {
    if (this.members && this.nowMs() - this.members.fetchedAt < CACHE_MS) return this.members.users;
    try {
      const res = await this.client.usergroups.users.list({ usergroup: this.usergroup! });
      this.members = { users: new Set(res.users ?? []), fetchedAt: this.nowMs() };
      return this.members.users;
    } catch (error) {
      // Keep the last known members; with none known, fail closed: nobody gets rights through the group.
      this.log.warn({ err: error, usergroup: this.usergroup }, 'could not read the organizers user group');
      return this.members?.users ?? new Set();
    }
  }
}
