import { randomBytes } from 'node:crypto';
import { webApi, type Installation } from '@slack/bolt';
import { PostError } from '../../src/chat/adapter';
import { SlackInstallations } from '../../src/chat/slack/installations';
import { InstalledWorkspaces, parseAddress } from '../../src/chat/slack/workspaces';
import { SecretBox } from '../../src/store/secret-box';
import type { Db } from '../../src/store/db';
import { memoryDb } from '../helpers/db';

let db: Db;
let installations: SlackInstallations;
const made: string[] = [];
const clients = (token: string) => (made.push(token), { reader: new webApi.WebClient(token), poster: new webApi.WebClient(token) });

beforeEach(async () => {
  db = await memoryDb();
  installations = new SlackInstallations(db, new SecretBox(randomBytes(32).toString('base64')));
  made.length = 0;
});
afterEach(() => db.close());

const installed = (team: string, token: string): Installation => ({
  team: { id: team },
  enterprise: undefined,
  user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
  bot: { token, scopes: ['chat:write'], id: 'B1', userId: 'U0BOT' },
  isEnterpriseInstall: false,
  authVersion: 'v2',
});

const tokenOf = async (w: InstalledWorkspaces, address: string) => {
  const r = await w.resolve(address);
  return { id: r.id, team: r.team, token: r.poster.token };
};

describe('which workspace a Slack call goes to (OAuth)', () => {
  it('reads team-qualified addresses', () => {
    expect(parseAddress('T1/C2')).toEqual({ team: 'T1', id: 'C2' });
    expect(parseAddress('C2')).toEqual({ id: 'C2' });
  });

  it('with one installed workspace, a bare channel is in it', async () => {
    await installations.storeInstallation(installed('T1', 'xoxb-one'));
    const w = new InstalledWorkspaces(installations, clients);
    expect(await tokenOf(w, 'C9')).toEqual({ id: 'C9', team: 'T1', token: 'xoxb-one' });
  });

  it('with several: the named team, then the communities’ channels, then what requests showed; else a clear refusal', async () => {
    await installations.storeInstallation(installed('T1', 'xoxb-one'));
    await installations.storeInstallation(installed('T2', 'xoxb-two'));
    const w = new InstalledWorkspaces(installations, clients, new Map([['C0COMMUNITY', 'T2']]));
    expect(await tokenOf(w, 'T1/C5')).toEqual({ id: 'C5', team: 'T1', token: 'xoxb-one' });
    expect(await tokenOf(w, 'C0COMMUNITY')).toEqual({ id: 'C0COMMUNITY', team: 'T2', token: 'xoxb-two' });
    w.learn('U0MEMBER', 'T1');
    expect(await tokenOf(w, 'U0MEMBER')).toEqual({ id: 'U0MEMBER', team: 'T1', token: 'xoxb-one' });

    const unknown = await w.resolve('C0NOWHERE').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(PostError);
    expect((unknown as PostError).retryable).toBe(false);
    expect((unknown as PostError).message).toMatch(/C0NOWHERE is not known to be in any of the 2 installed Slack workspaces: write it as <team id>\/C0NOWHERE/);
    // One pair of clients per token, reused.
    expect(made).toEqual(['xoxb-one', 'xoxb-two']);
  });

  it('a workspace without an installation is retried (it may install again), a reinstall gets new clients', async () => {
    const w = new InstalledWorkspaces(installations, clients);
    const missing = await w.resolve('T1/C5').catch((e: unknown) => e);
    expect((missing as PostError).retryable).toBe(true);
    expect((missing as PostError).message).toContain('Slack workspace T1 has not installed the app (or removed it)');
    await installations.storeInstallation(installed('T1', 'xoxb-first'));
    expect((await tokenOf(w, 'T1/C5')).token).toBe('xoxb-first');
    await installations.storeInstallation(installed('T1', 'xoxb-again'));
    expect((await tokenOf(w, 'T1/C5')).token).toBe('xoxb-again');
  });
});
