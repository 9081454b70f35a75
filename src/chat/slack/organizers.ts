import type { webApi } from '@slack/bolt';
import type { Logger } from '../../log';
import { parseAddress } from './workspaces';

const CACHE_MS = 60_000;

/**
 * Decides whether a Slack user is an organizer: listed by id, or a member of the organizers' user group. The
 * group's members are cached for a minute so a burst of commands costs one usergroups.users.list call. The group
 * is read with the client of the request's workspace; a team-qualified group (`T…/S…`, with several workspaces)
 * counts only for members of that workspace.
 */
export class OrganizerCheck {
  private members?: { users: Set<string>; fetchedAt: number };

  constructor(
    private readonly userIds: readonly string[],
    private readonly usergroup: string | undefined,
    private readonly log: Logger,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async isOrganizer(userId: string, team: string | undefined, client: webApi.WebClient): Promise<boolean> {
    if (this.userIds.includes(userId) || (team !== undefined && this.userIds.includes(`${team}/${userId}`))) return true;
    if (!this.usergroup) return false;
    const group = parseAddress(this.usergroup);
    if (group.team !== undefined && group.team !== team) return false;
    return (await this.groupMembers(group.id, client)).has(userId);
  }

  private async groupMembers(usergroup: string, client: webApi.WebClient): Promise<Set<string>> {
    if (this.members && this.nowMs() - this.members.fetchedAt < CACHE_MS) return this.members.users;
    try {
      const res = await client.usergroups.users.list({ usergroup });
      this.members = { users: new Set(res.users ?? []), fetchedAt: this.nowMs() };
      return this.members.users;
    } catch (error) {
      // Keep the last known members; with none known, fail closed: nobody gets rights through the group.
      this.log.warn({ err: error, usergroup: this.usergroup }, 'could not read the organizers user group');
      return this.members?.users ?? new Set();
    }
  }
}
