import { sql } from 'kysely';
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Db } from '../../store/db';
import type { SecretBox } from '../../store/secret-box';
import type { Logger } from '../../log';

/** The key of an installation: a workspace (team), or a whole enterprise org ('' for the part it has not). */
interface Key {
  team: string;
  enterprise: string;
}

/**
 * The workspaces that installed the app, in the bot's database, for Bolt's OAuth flow (InstallationStore): the
 * whole Installation Slack's oauth.v2.access answered, sealed with the encryption key, so the tokens never lie in
 * the database (or a dump or backup of it) in clear. A row lives from the install until the workspace removes the
 * app or revokes its tokens. Every replica reads the same rows, so whichever one gets a request can answer it and
 * an uninstall seen by one is seen by all.
 */
export class SlackInstallations implements InstallationStore {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly now: () => Date = () => new Date(),
    private readonly log?: Logger,
  ) {}

  /** A reinstall (new scopes, a new token) replaces the workspace's row. */
  async storeInstallation(installation: Installation): Promise<void> {
    const { team, enterprise, isEnterpriseInstall = false } = installation;
    const key = queryKey({ teamId: team?.id, enterpriseId: enterprise?.id, isEnterpriseInstall });
    if (!key.team && !key.enterprise) throw new Error('Slack installation without a team or an enterprise');
    const sealed = this.box.seal(JSON.stringify(installation));
    const name = team?.name ?? enterprise?.name ?? null;
    const at = this.now().toISOString();
    await this.db.run(sql`
      INSERT INTO slack_installations (team_id, enterprise_id, team_name, sealed, installed_at)
      VALUES (${key.team}, ${key.enterprise}, ${name}, ${sealed}, ${at})
      ON CONFLICT (team_id, enterprise_id) DO UPDATE SET team_name = excluded.team_name, sealed = excluded.sealed, installed_at = excluded.installed_at`);
    this.log?.info({ team: key.team || undefined, enterprise: key.enterprise || undefined, name }, 'slack workspace installed the app');
  }

  /** Bolt's authorize calls this for every request; a workspace that has not installed the app is an error. */
  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const found = await this.find(query);
    if (!found) throw new Error(`Slack workspace ${describe(query)} has not installed the app (or removed it)`);
    return found;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.remove(query);
  }

  /** How many rows went: the workspace removed the app or revoked its token. */
  async remove(query: Pick<InstallationQuery<boolean>, 'teamId' | 'enterpriseId' | 'isEnterpriseInstall'>): Promise<number> {
    const key = queryKey(query);
    if (key.team) return this.db.run(sql`DELETE FROM slack_installations WHERE team_id = ${key.team}`);
    return this.db.run(sql`DELETE FROM slack_installations WHERE team_id = '' AND enterprise_id = ${key.enterprise}`);
  }

  /** The installation of a workspace, or undefined when it has none (never installed, or removed the app). */
  async find(query: Pick<InstallationQuery<boolean>, 'teamId' | 'enterpriseId' | 'isEnterpriseInstall'>): Promise<Installation | undefined> {
    const key = queryKey(query);
    // A team id names one workspace wherever it is; an org-wide install is found by its enterprise.
    const row = key.team
      ? await this.db.row(sql<{ sealed: string }>`SELECT sealed FROM slack_installations WHERE team_id = ${key.team} ORDER BY enterprise_id LIMIT 1`)
      : await this.db.row(sql<{ sealed: string }>`SELECT sealed FROM slack_installations WHERE team_id = '' AND enterprise_id = ${key.enterprise}`);
    return row ? (JSON.parse(this.box.open(row.sealed)) as Installation) : undefined;
  }

  /** The bot token of a workspace's installation, or undefined. */
  async botToken(teamId: string): Promise<string | undefined> {
    return (await this.find({ teamId, enterpriseId: undefined, isEnterpriseInstall: false }))?.bot?.token;
  }

  /** The installed workspaces' team ids (no tokens opened). */
  async teams(): Promise<string[]> {
    const rows = await this.db.rows(sql<{ team_id: string }>`SELECT team_id FROM slack_installations WHERE team_id <> '' ORDER BY team_id`);
    return rows.map((r) => r.team_id);
  }
}

function queryKey(query: Pick<InstallationQuery<boolean>, 'teamId' | 'enterpriseId' | 'isEnterpriseInstall'>): Key {
  return { team: query.isEnterpriseInstall ? '' : (query.teamId ?? ''), enterprise: query.enterpriseId ?? '' };
}

function describe(query: InstallationQuery<boolean>): string {
  return query.isEnterpriseInstall ? `org ${query.enterpriseId ?? '?'}` : (query.teamId ?? '?');
}
