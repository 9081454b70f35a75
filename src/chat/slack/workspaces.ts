import { webApi } from '@slack/bolt';
import { PostError } from '../adapter';
import type { SlackInstallations } from './installations';

/** The Web API clients of one workspace: a retrying one for reading calls, and one that never retries for posts. */
export interface WorkspaceClients {
  /** Retries: history, conversations.open, user groups. */
  reader: webApi.WebClient;
  /** Never retries by itself (posts have no idempotency key; the outbox looks before it resends). */
  poster: webApi.WebClient;
}

/** Where a channel or member is, for one call: the workspace's clients and the id Slack knows. */
export interface Resolved extends WorkspaceClients {
  id: string;
  team?: string;
}

/**
 * Which workspace's token a call to a channel or a member goes out with. With SLACK_BOT_TOKEN there is one
 * workspace. With OAuth each installed workspace has its own token (from the installation store).
 */
export interface SlackWorkspaces {
  resolve(address: string): Promise<Resolved>;
  /** A channel or member seen in a request from `team`: later posts to it go out with that team's token. */
  learn(id: string, team: string | undefined): void;
}

/**
 * An address names a channel or member, optionally with its workspace: `C0123` or `T0456/C0123`. The team-qualified
 * form is how SLACK_ANNOUNCE_CHANNELS says which workspace a channel is in when several have installed the app.
 */
export function parseAddress(address: string): { team?: string; id: string } {
  const slash = address.indexOf('/');
  return slash > 0 ? { team: address.slice(0, slash), id: address.slice(slash + 1) } : { id: address };
}

export function address(team: string | undefined, id: string): string {
  return team ? `${team}/${id}` : id;
}

/** One workspace, one bot token: every address is in it. */
export class SingleWorkspace implements SlackWorkspaces {
  constructor(private readonly clients: WorkspaceClients) {}

  async resolve(addr: string): Promise<Resolved> {
    return { ...this.clients, id: parseAddress(addr).id };
  }

  learn(): void {}
}

/** How many channels and members are remembered from requests (each a few dozen bytes). */
const LEARNED_MAX = 10_000;

/**
 * Many workspaces (OAuth): the workspace of an address is the one it names (`T…/C…`), else the one the community
 * settings give the channel, else the one a request from it came from, else the only installed workspace. Each
 * call reads the installation from the database, so a workspace that removed the app (on any replica) gets no
 * further call; its queued posts wait for a reinstall until they are no longer worth posting, then fail and are
 * reported to the organizers. A channel whose workspace cannot be told fails at once: that needs a person.
 */
export class InstalledWorkspaces implements SlackWorkspaces {
  private readonly learned = new Map<string, string>();
  /** Clients per token: a reinstall's new token gets new clients. */
  private readonly clients = new Map<string, WorkspaceClients>();

  constructor(
    private readonly installations: SlackInstallations,
    private readonly makeClients: (token: string) => WorkspaceClients,
    /** Channel id → team id, from the communities' settings (slack: { team, announce, ... }). */
    private readonly channelTeams: ReadonlyMap<string, string> = new Map(),
  ) {}

  learn(id: string, team: string | undefined): void {
    if (!team || this.learned.get(id) === team) return;
    if (this.learned.size >= LEARNED_MAX) this.learned.clear();
    this.learned.set(id, team);
  }

  async resolve(addr: string): Promise<Resolved> {
    const { team: named, id } = parseAddress(addr);
    const team = named ?? this.channelTeams.get(id) ?? this.learned.get(id) ?? (await this.onlyTeam(id));
    const token = await this.installations.botToken(team);
    // Retried (each try is a database read, no Slack call): a workspace that installs the app again still gets
    // what is worth posting; past that the post fails and the organizers are told.
    if (!token) throw new PostError(`Slack workspace ${team} has not installed the app (or removed it), so ${id} cannot be reached`, true);
    let clients = this.clients.get(token);
    if (!clients) {
      if (this.clients.size >= 1_000) this.clients.clear();
      clients = this.makeClients(token);
      this.clients.set(token, clients);
    }
    return { ...clients, id, team };
  }

  private async onlyTeam(id: string): Promise<string> {
    const teams = await this.installations.teams();
    if (teams.length === 1) return teams[0]!;
    throw new PostError(
      teams.length === 0
        ? `no Slack workspace has installed the app yet, so ${id} cannot be reached`
        : `${id} is not known to be in any of the ${teams.length} installed Slack workspaces: write it as <team id>/${id} (SLACK_ANNOUNCE_CHANNELS) or name the workspace in the community's settings.yml`,
      false,
    );
  }
}
