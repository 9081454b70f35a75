import { DateTime } from 'luxon';

/**
 * JSON that keeps luxon DateTimes: each is written as `{ <tag>: ISO text, zone: zone name }` and read back in its
 * zone, not just at its offset (renderers show the zone's abbreviation, "CET", which a fixed "+01:00" would lose).
 * `tag` is the key the stored rows already carry.
 */
export function stringifyTimes(value: unknown, tag: string): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, json: unknown) {
    const raw = this[key];
    return DateTime.isDateTime(raw) ? { [tag]: raw.toISO(), zone: raw.zoneName } : json;
  });
}

/** The value stringifyTimes wrote, its times DateTimes again; throws on a time that does not read. */
export function parseTimes(json: string, tag: string): unknown {
  return JSON.parse(json, (_key, value: unknown) => {
    if (!value || typeof value !== 'object' || !(tag in value)) return value;
    const { [tag]: iso, zone } = value as Record<string, string>;
    const at = DateTime.fromISO(iso!, { zone });
    if (!at.isValid) throw new Error(`invalid time ${iso}`);
    return at;
  });
}
