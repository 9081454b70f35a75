import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { SourceConfig } from '../../../src/sources/importers/config';
import type { ImportContext } from '../../../src/sources/importers/event';
import { makeSettings } from '../../helpers/events';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'imports');

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function source(overrides: Partial<SourceConfig> = {}): SourceConfig {
  return { name: 'test-source', kind: 'ics', url: 'https://example.org/calendar.ics', refresh: 3_600_000, announce: false, ...overrides };
}

export function context(overrides: Partial<SourceConfig> = {}, now = '2026-10-01T12:00'): ImportContext {
  return { source: source(overrides), settings: makeSettings(), now: DateTime.fromISO(now, { zone: 'Europe/Berlin' }) };
}
