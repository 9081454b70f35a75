/**
 * A member installing the app into a workspace through Bolt's OAuth flow, as a browser does it: GET /slack/install
 * (the bot redirects to Slack's authorize page and sets its state cookie), the fake's authorize page (Allow, for
 * `team`), then the redirect back to /slack/oauth_redirect with the code, the state and the cookie.
 */
import type { FakeSlack } from '../fakes/slack';

export interface InstallSteps {
  /** Where /slack/install sent the browser. */
  authorize: URL;
  /** The state cookie the bot set (name=value). */
  cookie: string;
  /** Where Slack sent the browser back (redirect_uri with code and state). */
  callback: URL;
}

/** The first two steps: the bot's install link, then Allow on Slack's page for `team`. */
export async function startInstall(botUrl: string, slack: FakeSlack, team: string): Promise<InstallSteps> {
  const install = await fetch(`${botUrl}/slack/install`, { redirect: 'manual' });
  if (install.status !== 302) throw new Error(`/slack/install answered ${install.status}: ${await install.text()}`);
  const authorize = new URL(install.headers.get('location')!);
  const cookie = (install.headers.get('set-cookie') ?? '').split(';')[0]!;
  const allow = new URL(authorize);
  allow.searchParams.set('team', team);
  const allowed = await fetch(allow, { redirect: 'manual' });
  if (allowed.status !== 302) throw new Error(`the authorize page answered ${allowed.status}: ${await allowed.text()}`);
  return { authorize, cookie, callback: new URL(allowed.headers.get('location')!) };
}

/** The redirect back to the bot, with whatever cookie the browser holds. */
export async function finishInstall(callback: URL, cookie: string | undefined): Promise<{ status: number; body: string }> {
  const res = await fetch(callback, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: res.status, body: await res.text() };
}

/** The whole flow; resolves with the bot's answer to the redirect. */
export async function install(botUrl: string, slack: FakeSlack, team: string): Promise<{ status: number; body: string }> {
  const steps = await startInstall(botUrl, slack, team);
  return finishInstall(steps.callback, steps.cookie);
}
