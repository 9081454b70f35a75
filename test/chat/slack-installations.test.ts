import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Installation } from '@slack/bolt';
import { SlackInstallations } from '../../src/chat/slack/installations';
import { SecretBox } from '../../src/store/secret-box';
import type { Db } from '../../src/store/db';
import { memoryDb } from '../helpers/db';

const KEY = randomBytes(32).toString('base64');
let db: Db;
let store: SlackInstallations;

beforeEach(async () => {
  db = await memoryDb();
  store = new SlackInstallations(db, new SecretBox(KEY), () => new Date('2026-12-02T12:00:00Z'));
});
afterEach(() => db.close());

function installation(team: string, token: string, enterprise?: string): Installation {
  return {
    team: { id: team, name: `Workspace ${team}` },
    enterprise: enterprise ? { id: enterprise, name: 'Org' } : undefined,
    user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
    bot: { token, scopes: ['commands', 'chat:write'], id: 'B0BOT', userId: 'U0BOT' },
    tokenType: 'bot',
    isEnterpriseInstall: false,
    appId: 'A0SREMUC',
    authVersion: 'v2',
  };
}

const rows = () => db.rows(sql<{ team_id: string; enterprise_id: string; team_name: string; sealed: string; installed_at: string }>`SELECT * FROM slack_installations ORDER BY team_id`);

describe('SlackInstallations', () => {
  it('keeps each workspace sealed, finds it by team, and a reinstall replaces it', async () => {
    await store.storeInstallation(installation('T1', 'xoxb-T1-first'));
    await store.storeInstallation(installation('T2', 'xoxb-T2-only', 'E1'));
    await store.storeInstallation(installation('T1', 'xoxb-T1-second'));

    const stored = await rows();
    expect(stored.map((r) => [r.team_id, r.enterprise_id, r.team_name, r.installed_at])).toEqual([
      ['T1', '', 'Workspace T1', '2026-12-02T12:00:00.000Z'],
      ['T2', 'E1', 'Workspace T2', '2026-12-02T12:00:00.000Z'],
    ]);
    for (const r of stored) {
      expect(r.sealed).not.toMatch(/xoxb|U0INSTALLER|Workspace/);
      expect(r.sealed).toMatch(/^v1:/);
    }
    expect(await store.botToken('T1')).toBe('xoxb-T1-second');
    expect((await store.fetchInstallation({ teamId: 'T2', enterpriseId: 'E1', isEnterpriseInstall: false })).bot?.token).toBe('xoxb-T2-only');
    expect(await store.teams()).toEqual(['T1', 'T2']);
  });

  it('refuses a workspace that has not installed the app, and forgets one that removed it', async () => {
    await expect(store.fetchInstallation({ teamId: 'T9', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow(/T9 has not installed the app/);
    await store.storeInstallation(installation('T1', 'xoxb-T1'));
    await store.deleteInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(await rows()).toEqual([]);
    expect(await store.botToken('T1')).toBeUndefined();
  });

  it('keeps an org-wide install under its enterprise', async () => {
    const org: Installation = { ...installation('T1', 'xoxb-org'), team: undefined, enterprise: { id: 'E7', name: 'Org' }, isEnterpriseInstall: true };
    await store.storeInstallation(org);
    expect((await store.fetchInstallation({ teamId: undefined, enterpriseId: 'E7', isEnterpriseInstall: true })).bot?.token).toBe('xoxb-org');
    expect(await store.remove({ teamId: undefined, enterpriseId: 'E7', isEnterpriseInstall: true })).toBe(1);
  });

  it('cannot open what another key sealed: a changed key is a clear error, not a wrong token', async () => {
    await store.storeInstallation(installation('T1', 'xoxb-T1'));
    const other = new SlackInstallations(db, new SecretBox(randomBytes(32).toString('base64')));
    await expect(other.botToken('T1')).rejects.toThrow(/another key/);
  });
});
