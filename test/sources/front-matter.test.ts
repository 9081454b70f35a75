import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { readFrontMatter } from '../../src/sources/front-matter';
import { parseMarkdownEvent } from '../../src/sources/markdown';
import { resolveProfile } from '../../src/sources/profile';
import { makeSettings } from '../helpers/events';
import { REAL_DATA } from './temp-data';

const FILE = 'events/x.md';
const PROFILE = resolveProfile(makeSettings());
const POSTS = readdirSync(path.join(REAL_DATA, 'events')).filter((f) => f.endsWith('.md'));

describe('front matter', () => {
  it('reads every real post front matter as the yaml library does, with the title on line 2', () => {
    for (const name of POSTS) {
      const text = readFileSync(path.join(REAL_DATA, 'events', name), 'utf8');
      const front = readFrontMatter(text, FILE, PROFILE);
      expect(front.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(front.data!.raw).toEqual(parse(text.split('\n---')[0]!.slice(3)));
      expect(front.keyLine('title')).toBe(2);
    }
  });

  it('ignores a byte-order mark (a real post saved by a Windows editor)', () => {
    const text = readFileSync(path.join(REAL_DATA, 'events', POSTS[0]!), 'utf8');
    const plain = parseMarkdownEvent(text, { file: FILE, settings: makeSettings() });
    const withBom = parseMarkdownEvent(`\uFEFF${text}`, { file: FILE, settings: makeSettings() });
    expect(withBom.diagnostics).toEqual(plain.diagnostics);
    expect(withBom.event?.start.toISO()).toBe(plain.event!.start.toISO());
  });

  it('reads TOML +++ front matter (Zola, Hugo), keeping the written date-time text', () => {
    const front = readFrontMatter('+++\ntitle = "Meetup #40"\ndate = 2023-09-28 18:00:00+02:00\n+++\nBody\n', FILE, PROFILE);
    expect(front.diagnostics).toEqual([]);
    expect(front.data).toMatchObject({ title: 'Meetup #40', published: '2023-09-28T18:00:00.000+02:00' });
    expect(front.keyLine('date')).toBe(3);
    expect(front.body).toBe('Body\n');
    expect(front.bodyLine).toBe(5);
  });

  it('names the line of a TOML syntax error', () => {
    const front = readFrontMatter('+++\ntitle = "Meetup\ndate = 2023-09-28\n+++\n', FILE, PROFILE);
    expect(front.diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 2, message: expect.stringContaining('not valid TOML') })]);
  });

  it('reports an unclosed quote on the line where it was opened, not where the front matter ends', () => {
    const front = readFrontMatter('---\ntitle: "SRE Munich at Sixt 2022\ndate: 2022-10-13\ndraft: false\n---\n', FILE, PROFILE);
    expect(front.diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 2, message: expect.stringContaining('never closed') })]);
  });

  it('warns about a title with a stray quote (valid YAML) and shows it without the quote', () => {
    const front = readFrontMatter('---\ntitle: SRE Munich at Jambit 2024"\ndate: 2024-03-01\n---\n', FILE, PROFILE);
    expect(front.data?.title).toBe('SRE Munich at Jambit 2024');
    expect(front.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', line: 2, message: expect.stringContaining('stray quote') })]);
    expect(readFrontMatter('---\ntitle: The "SRE" meetup\n---\n', FILE, PROFILE).diagnostics).toEqual([]);
  });
});
