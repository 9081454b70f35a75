import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../log';

/** Bolt, web-api and socket-mode log through our pino logger, so their lines share its format and level. */
export function boltLogger(log: Logger): BoltLogger {
  let name = 'slack';
  const child = () => log.child({ component: name });
  return {
    debug: (...msg: unknown[]) => child().debug(msg.map(String).join(' ')),
    info: (...msg: unknown[]) => child().info(msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => child().warn(msg.map(String).join(' ')),
    error: (...msg: unknown[]) => child().error(msg.map(String).join(' ')),
    setLevel: () => undefined,
    getLevel: () => toBoltLevel(log.level),
    setName: (n: string) => {
      name = n;
    },
  };
}

function toBoltLevel(level: string): LogLevel {
  if (level === 'debug' || level === 'trace') return LogLevel.DEBUG;
  if (level === 'info') return LogLevel.INFO;
  if (level === 'warn') return LogLevel.WARN;
  return LogLevel.ERROR;
}
