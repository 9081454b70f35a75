import type { Logger } from '../../log';
import { plain, type Route } from '../server';
import { readRawBody } from '../body';
import { DeliveryLog, handleGitWebhook } from './git';

/** GitHub caps a delivery at 25 MB; a push payload is a few KB. More is not a webhook. */
const MAX_BODY = 1024 * 1024;

export interface GitWebhookRouteOptions {
  secret?: string;
  branch: string;
  /** Starts a fetch; the forge gets its answer at once, not after the fetch (GitHub waits 10 s at most). */
  fetchNow: (reason: string) => Promise<void>;
  log: Logger;
}

/**
 * POST /webhooks/git: one URL for GitHub, GitLab, Gitea and Forgejo. Forged, unsigned and unreadable deliveries
 * are refused and logged with the forge, delivery id and address they came from.
 */
export function gitWebhookRoute(options: GitWebhookRouteOptions): Route {
  const deliveries = new DeliveryLog();
  return {
    name: 'webhooks-git',
    path: '/webhooks/git',
    methods: ['POST'],
    async handle(req, res) {
      const body = await readRawBody(req, MAX_BODY);
      if (!body) return plain(res, 413, 'Payload too large for a push webhook.\n');
      const outcome = handleGitWebhook({ headers: req.headers, body }, { secret: options.secret, branch: options.branch, deliveries });
      const fields = { forge: outcome.forge, delivery: outcome.delivery, remote: req.socket.remoteAddress, userAgent: req.headers['user-agent'] };
      if (outcome.action === 'refuse') options.log.warn(fields, `git webhook refused: ${outcome.message}`);
      else options.log.info(fields, `git webhook: ${outcome.message}`);
      plain(res, outcome.status, `${outcome.message}\n`);
      if (outcome.action === 'fetch') void options.fetchNow('webhook').catch((err: unknown) => options.log.error({ err }, 'fetch after a webhook failed'));
    },
  };
}
