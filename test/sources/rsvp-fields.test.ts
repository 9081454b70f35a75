import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseMarkdownEvent } from '../../src/sources/markdown';
import { parseYamlEvent } from '../../src/sources/yaml-event';
import { makeSettings } from '../helpers/events';

const EXAMPLE = readFileSync(path.join(__dirname, '..', 'fixtures', 'sources', 'sremuc-2025-04-example.yml'), 'utf8');
const POST = readFileSync(path.join(__dirname, '..', 'fixtures', 'sources', 'event-post-2024-07-celonis.md'), 'utf8');
const settings = makeSettings();

/** The Celonis post with lines added to its front matter. */
const postWith = (lines: string) => POST.replace(/^---\n/, `---\n${lines}\n`);

describe('rsvp: in event data', () => {
  it('YAML: capacity, real name, a date-only deadline (end of that day, Berlin) and the question', () => {
    const text = `${EXAMPLE.trimEnd()}\nrsvp:\n  capacity: 50\n  realName: true\n  deadline: 2025-04-10\n  question: Any dietary needs?\n`;
    const { event, diagnostics } = parseYamlEvent(text, { file: 'events/x.yml', settings });
    expect(diagnostics).toEqual([]);
    expect(event?.rsvp).toMatchObject({ capacity: 50, realName: true, question: 'Any dietary needs?' });
    expect(event?.rsvp?.deadline?.toISO()).toBe('2025-04-10T23:59:00.000+02:00');
  });

  it('front matter: `rsvp: true` takes RSVPs without limits; a nested block sets them; absent means none', () => {
    expect(parseMarkdownEvent(POST, { file: 'events/p.md', settings }).event?.rsvp).toBeUndefined();
    expect(parseMarkdownEvent(postWith('rsvp: true'), { file: 'events/p.md', settings }).event?.rsvp).toEqual({ realName: false });
    const nested = parseMarkdownEvent(postWith('rsvp:\n  capacity: 80\n  realName: true\n  deadline: "2024-07-09 12:00"'), { file: 'events/p.md', settings });
    expect(nested.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(nested.event?.rsvp).toMatchObject({ capacity: 80, realName: true });
    expect(nested.event?.rsvp?.deadline?.toISO()).toBe('2024-07-09T12:00:00.000+02:00');
  });

  it('a wrong value is an error at its line that says how to write it', () => {
    const { event, diagnostics } = parseYamlEvent(`${EXAMPLE.trimEnd()}\nrsvp:\n  capacity: lots\n`, { file: 'events/x.yml', settings });
    expect(event).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ file: 'events/x.yml', severity: 'error', line: expect.any(Number), message: expect.stringContaining('capacity') })]);
  });
});
