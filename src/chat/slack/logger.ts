import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../log';

/** Bolt, web-api and socket-mode log through our pino logger, so their lines share its format and level. */
export function boltLogger(log: Logger): BoltLogger {
  // One child per name, made when Bolt names its logger, not one per line: Bolt logs on every request.
  let named = log.child({ component: 'slack' });
  return {
    debug: (...msg: unknown[]) => named.debug(msg.map(String).join(' ')),
    info: (...msg: unknown[]) => named.info(msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => named.warn(msg.map(String).join(' ')),
    error: (...msg: unknown[]) => named.error(msg.map(String).join(' ')),
    setLevel: () => undefined,
    getLevel: () => toBoltLevel(log.level),
    setName: (n: string) => {
      named = log.child({ component: n });
    },
  };
}

function toBoltLevel(level: string): LogLevel {
  if (level === 'debug' || level === 'trace') return LogLevel.DEBUG;
  if (level === 'info') return LogLevel.INFO;
  if (level === 'warn') return LogLevel.WARN;
  return LogLevel.ERROR;
}
