import { Duration } from 'luxon';

const UNITS: Record<string, 'days' | 'hours' | 'minutes'> = {
  d: 'days', day: 'days', days: 'days',
  h: 'hours', hour: 'hours', hours: 'hours',
  m: 'minutes', min: 'minutes', minute: 'minutes', minutes: 'minutes',
};

/**
 * "14d", "1 day", "2h 30m": a duration in whole days, hours and minutes. Days stay calendar days, so "1d before"
 * a 18:30 meetup is 18:30 the day before even across a DST switch.
 */
export function parseDuration(text: string): Duration | undefined {
  const parts = text.trim().toLowerCase().match(/\d+\s*[a-z]+/g);
  if (!parts || parts.join('').replace(/\s/g, '') !== text.trim().toLowerCase().replace(/\s/g, '')) return undefined;
  const values: Record<string, number> = {};
  for (const part of parts) {
    const [, amount, unit] = /^(\d+)\s*([a-z]+)$/.exec(part)!;
    const key = UNITS[unit!];
    if (!key) return undefined;
    values[key] = (values[key] ?? 0) + Number(amount);
  }
  return Duration.fromObject(values);
}
