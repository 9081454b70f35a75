import type { App } from '@slack/bolt';
import type { Logger } from '../../log';
import type { SlackInstallations } from './installations';

/**
 * A workspace that removes the app (app_uninstalled) or revokes the bot's token (tokens_revoked) has its stored
 * installation deleted at once: its token is dead, and the bot keeps nothing of a workspace that left. Posts still
 * queued for it then fail for good and are reported to the organizers instead of being retried. Bolt delivers
 * these two events without authorizing them (the installation may already be unusable).
 */
export function handleUninstalls(app: App, installations: SlackInstallations, log: Logger): void {
  app.event('app_uninstalled', async ({ context }) => {
    const removed = await installations.remove({ teamId: context.teamId, enterpriseId: context.enterpriseId, isEnterpriseInstall: context.isEnterpriseInstall ?? false });
    log.info({ team: context.teamId, enterprise: context.enterpriseId, removed }, 'slack workspace removed the app; its installation is deleted');
  });
  app.event('tokens_revoked', async ({ event, context }) => {
    // User tokens alone (the bot asks for none) leave the bot's installation working.
    if (!event.tokens.bot?.length) return;
    const removed = await installations.remove({ teamId: context.teamId, enterpriseId: context.enterpriseId, isEnterpriseInstall: context.isEnterpriseInstall ?? false });
    log.info({ team: context.teamId, enterprise: context.enterpriseId, removed }, 'slack workspace revoked the bot token; its installation is deleted');
  });
}
