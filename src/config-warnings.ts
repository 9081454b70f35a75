import { closestKey } from './sources/diagnostics';
import { CONFIG_VARIABLES } from './config-env';

/** Prefixes only our variables use: anything else under them is a typo or a leftover. */
const OUR_PREFIXES = ['SLACK_', 'DISCORD_', 'SREMUC_'];

/**
 * Variables in the environment that look meant for the bot but that it does not read: a typo such as
 * SLACK_BOT_TOKN would otherwise leave a platform silently off. One warning each, with the likely name.
 */
export function unknownVariableWarnings(env: Record<string, string | undefined>, known: readonly string[] = CONFIG_VARIABLES): string[] {
  const knownSet = new Set(known);
  const warnings: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (knownSet.has(name) || !/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    const near = closestKey(name, known);
    if (near) warnings.push(`${name} is not a variable sremuc-bot reads: did you mean ${near}?`);
    else if (OUR_PREFIXES.some((p) => name.startsWith(p))) warnings.push(`${name} is not a variable sremuc-bot reads; see .env.example for the ones it does`);
  }
  return warnings;
}
