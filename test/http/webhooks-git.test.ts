import { createHmac } from 'node:crypto';
import { DeliveryLog, handleGitWebhook, type WebhookRequest } from '../../src/http/webhooks/git';

const SECRET = 'It is a secret to everybody';
const sign = (body: Buffer, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');
const push = (ref = 'refs/heads/main') => Buffer.from(JSON.stringify({ ref, after: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00', commits: [] }));

function github(body: Buffer, headers: Record<string, string> = {}): WebhookRequest {
  return { body, headers: { 'x-github-event': 'push', 'x-github-delivery': 'd-1', 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${sign(body)}`, ...headers } };
}

describe('handleGitWebhook', () => {
  const options = () => ({ secret: SECRET, branch: 'main', deliveries: new DeliveryLog() });

  it('GitHub: a signed push to the branch fetches, once per delivery id; ping is answered', () => {
    const o = options();
    expect(handleGitWebhook(github(push()), o)).toMatchObject({ action: 'fetch', status: 202, forge: 'github', delivery: 'd-1', after: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00' });
    // GitHub's "Redeliver" sends the same X-GitHub-Delivery again: acknowledged, not acted on.
    expect(handleGitWebhook(github(push()), o)).toMatchObject({ action: 'ignore', status: 200, message: expect.stringContaining('handled already') });
    expect(handleGitWebhook(github(push(), { 'x-github-delivery': 'd-2' }), o)).toMatchObject({ action: 'fetch' });
    const ping = Buffer.from('{"zen":"Keep it logically awesome.","hook_id":1}');
    expect(handleGitWebhook(github(ping, { 'x-github-event': 'ping', 'x-github-delivery': 'd-3' }), o)).toMatchObject({ action: 'ignore', status: 200, message: 'pong' });
  });

  it('GitHub: the form-encoded content type is read too', () => {
    const body = Buffer.from(`payload=${encodeURIComponent(push().toString())}`);
    expect(handleGitWebhook(github(body, { 'content-type': 'application/x-www-form-urlencoded' }), options())).toMatchObject({ action: 'fetch' });
  });

  it('refuses forged, unsigned, re-signed and tampered deliveries, and all of them without a secret', () => {
    const body = push();
    expect(handleGitWebhook(github(body, { 'x-hub-signature-256': `sha256=${sign(body, 'guessed')}` }), options())).toMatchObject({ action: 'refuse', status: 401, message: expect.stringContaining('Forged github') });
    const unsigned = github(body);
    delete unsigned.headers['x-hub-signature-256'];
    expect(handleGitWebhook(unsigned, options())).toMatchObject({ action: 'refuse', status: 401, message: expect.stringContaining('Unsigned') });
    // The signature covers the raw bytes: the same JSON with other whitespace is not what was signed.
    const tampered = { ...github(body), body: Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1)) };
    expect(handleGitWebhook(tampered, options())).toMatchObject({ action: 'refuse', status: 401 });
    expect(handleGitWebhook(github(body, { 'x-hub-signature-256': 'sha256=zz' }), options())).toMatchObject({ action: 'refuse', status: 401 });
    expect(handleGitWebhook(github(body), { ...options(), secret: undefined })).toMatchObject({ action: 'refuse', status: 403, message: expect.stringContaining('WEBHOOK_SECRET') });
    expect(handleGitWebhook({ body, headers: {} }, options())).toMatchObject({ action: 'refuse', status: 400 });
    // A refused delivery is not remembered: the genuine one with the same id still acts.
    const o = options();
    handleGitWebhook(github(body, { 'x-hub-signature-256': `sha256=${sign(body, 'guessed')}` }), o);
    expect(handleGitWebhook(github(body), o)).toMatchObject({ action: 'fetch' });
  });

  it('ignores pushes to other branches and other events, signed or not only after the signature', () => {
    expect(handleGitWebhook(github(push('refs/heads/preview')), options())).toMatchObject({ action: 'ignore', status: 200, message: expect.stringContaining('refs/heads/preview') });
    expect(handleGitWebhook(github(push('refs/tags/v1')), options())).toMatchObject({ action: 'ignore' });
    expect(handleGitWebhook(github(push(), { 'x-github-event': 'issues' }), options())).toMatchObject({ action: 'ignore', message: expect.stringContaining('issues') });
    expect(handleGitWebhook(github(Buffer.from('not json')), options())).toMatchObject({ action: 'refuse', status: 400 });
  });

  it('GitLab: X-Gitlab-Token must equal the secret; Push Hook on the branch fetches', () => {
    const gitlab = (token?: string, ref?: string): WebhookRequest => ({
      body: push(ref),
      headers: { 'x-gitlab-event': 'Push Hook', 'x-gitlab-event-uuid': 'u-1', ...(token ? { 'x-gitlab-token': token } : {}) },
    });
    expect(handleGitWebhook(gitlab(SECRET), options())).toMatchObject({ action: 'fetch', forge: 'gitlab', delivery: 'u-1' });
    expect(handleGitWebhook(gitlab('wrong'), options())).toMatchObject({ action: 'refuse', status: 401, message: expect.stringContaining('Forged GitLab') });
    expect(handleGitWebhook(gitlab(), options())).toMatchObject({ action: 'refuse', status: 401, message: expect.stringContaining('Unsigned GitLab') });
    expect(handleGitWebhook(gitlab(SECRET, 'refs/heads/other'), options())).toMatchObject({ action: 'ignore' });
  });

  it('Gitea and Forgejo: their own signature header (hex HMAC of the body), looked at before the GitHub-style ones they also send', () => {
    const body = push();
    for (const forge of ['gitea', 'forgejo'] as const) {
      const request = (signature: string): WebhookRequest => ({
        body,
        headers: { [`x-${forge}-event`]: 'push', [`x-${forge}-delivery`]: `${forge}-1`, [`x-${forge}-signature`]: signature, 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${sign(body)}` },
      });
      expect(handleGitWebhook(request(sign(body)), options())).toMatchObject({ action: 'fetch', forge, delivery: `${forge}-1` });
      expect(handleGitWebhook(request(sign(body, 'nope')), options())).toMatchObject({ action: 'refuse', status: 401, forge });
    }
  });
});
