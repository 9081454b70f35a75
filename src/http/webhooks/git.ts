import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Push webhooks from the forge that hosts the community's website, at one URL (/webhooks/git) for all of them,
 * told apart by their headers. A pure function of the request's headers and raw body: the signature is checked
 * over the bytes as they arrived, before anything is parsed, and a delivery acts at most once.
 */

export type Forge = 'github' | 'gitlab' | 'gitea' | 'forgejo';

export interface WebhookRequest {
  /** Header names in lower case, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface WebhookOptions {
  /** WEBHOOK_SECRET; without it every delivery is refused (nobody could tell a forged one). */
  secret?: string;
  /** EVENTS_BRANCH: pushes to other branches are acknowledged and ignored. */
  branch: string;
  deliveries: DeliveryLog;
}

export type WebhookOutcome =
  /** Verified push to the followed branch: fetch now. */
  | { action: 'fetch'; status: 202; forge: Forge; delivery?: string; after?: string; message: string }
  /** Verified, nothing to do (ping, other branch, other event, a redelivery). */
  | { action: 'ignore'; status: 200; forge: Forge; delivery?: string; message: string }
  /** Not verified or not understood: answered with an error and logged by the caller. */
  | { action: 'refuse'; status: 400 | 401 | 403; forge?: Forge; delivery?: string; message: string };

/** Delivery ids already acted on; a forge's redelivery (same id) is acknowledged without acting again. */
export class DeliveryLog {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity = 1000) {}

  /** True when the id is new (and now remembered). */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

export function handleGitWebhook(request: WebhookRequest, options: WebhookOptions): WebhookOutcome {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const forge = forgeOf(header);
  if (!forge) return { action: 'refuse', status: 400, message: 'Not a GitHub, GitLab, Gitea or Forgejo webhook (no event header).' };
  const delivery = header(DELIVERY_HEADER[forge]);
  if (!options.secret) return { action: 'refuse', status: 403, forge, delivery, message: 'WEBHOOK_SECRET is not set, so no delivery can be verified: set it here and in the webhook settings.' };

  const verdict = verify(forge, header, request.body, options.secret);
  if (verdict) return { action: 'refuse', status: 401, forge, delivery, message: verdict };

  const event = header(EVENT_HEADER[forge]) ?? '';
  if (forge === 'github' && event === 'ping') return { action: 'ignore', status: 200, forge, delivery, message: 'pong' };
  if (!isPush(forge, event)) return { action: 'ignore', status: 200, forge, delivery, message: `Event "${event}" ignored: only pushes matter.` };

  const payload = parsePayload(request.body, header('content-type'));
  if (!payload || typeof payload.ref !== 'string') return { action: 'refuse', status: 400, forge, delivery, message: 'The push payload is not JSON with a "ref".' };
  const ref = payload.ref;
  if (ref !== `refs/heads/${options.branch}`) return { action: 'ignore', status: 200, forge, delivery, message: `Push to ${ref} ignored: following ${options.branch}.` };
  if (delivery && !options.deliveries.add(`${forge}:${delivery}`)) return { action: 'ignore', status: 200, forge, delivery, message: `Delivery ${delivery} was handled already.` };
  const after = typeof payload.after === 'string' ? payload.after : undefined;
  return { action: 'fetch', status: 202, forge, delivery, after, message: `Push to ${options.branch}${after ? ` (${after.slice(0, 12)})` : ''}: fetching.` };
}

const EVENT_HEADER: Record<Forge, string> = { github: 'x-github-event', gitlab: 'x-gitlab-event', gitea: 'x-gitea-event', forgejo: 'x-forgejo-event' };
const DELIVERY_HEADER: Record<Forge, string> = { github: 'x-github-delivery', gitlab: 'x-gitlab-event-uuid', gitea: 'x-gitea-delivery', forgejo: 'x-forgejo-delivery' };

/** Gitea and Forgejo also send GitHub-style headers, so their own are looked at first. */
function forgeOf(header: (name: string) => string | undefined): Forge | undefined {
  return (['forgejo', 'gitea', 'gitlab', 'github'] as const).find((forge) => header(EVENT_HEADER[forge]));
}

/** undefined when the delivery is signed with our secret; else why it is refused. */
function verify(forge: Forge, header: (name: string) => string | undefined, body: Buffer, secret: string): string | undefined {
  if (forge === 'gitlab') {
    const token = header('x-gitlab-token');
    if (!token) return 'Unsigned GitLab delivery (no X-Gitlab-Token).';
    return equal(Buffer.from(token), Buffer.from(secret)) ? undefined : 'Forged GitLab delivery: X-Gitlab-Token does not match WEBHOOK_SECRET.';
  }
  const name = forge === 'github' ? 'x-hub-signature-256' : forge === 'gitea' ? 'x-gitea-signature' : 'x-forgejo-signature';
  const given = header(name);
  if (!given) return `Unsigned ${forge} delivery (no ${name}).`;
  const hex = forge === 'github' ? given.replace(/^sha256=/, '') : given;
  const expected = createHmac('sha256', secret).update(body).digest();
  if (!/^[0-9a-f]{64}$/i.test(hex) || !equal(Buffer.from(hex, 'hex'), expected)) return `Forged ${forge} delivery: ${name} does not match the body signed with WEBHOOK_SECRET.`;
  return undefined;
}

function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function isPush(forge: Forge, event: string): boolean {
  return forge === 'gitlab' ? event === 'Push Hook' : event === 'push';
}

/** JSON, or GitHub's form encoding (`payload=<json>`) when the hook was set up with that content type. */
function parsePayload(body: Buffer, contentType: string | undefined): Record<string, unknown> | undefined {
  try {
    let text = body.toString('utf8');
    if (contentType?.startsWith('application/x-www-form-urlencoded')) text = new URLSearchParams(text).get('payload') ?? '';
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
