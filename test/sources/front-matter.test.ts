import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseSimpleYaml } from '../../src/sources/front-matter';
import { REAL_DATA } from './temp-data';

/** The fast reader must agree with the yaml library on everything it accepts, and decline everything else. */
describe('simple front matter reader', () => {
  const realFrontMatters = readdirSync(path.join(REAL_DATA, 'events')).map((f) => readFileSync(path.join(REAL_DATA, 'events', f), 'utf8').split('\n---')[0]!.slice(3));

  it('reads every real post front matter exactly as the yaml library does, with key lines', () => {
    for (const text of realFrontMatters) {
      const simple = parseSimpleYaml(text);
      expect(simple).toBeDefined();
      expect(simple!.data).toEqual(parse(text));
      expect(simple!.lines.get('title')).toBe(2);
    }
  });

  const accepted = [
    'a: plain text', 'a: "double quoted: with colon"', "a: 'single \"quoted\"'", 'a: true', 'a: False', 'a: NULL', 'a: ~', 'a:',
    'a: 42', 'a: +7', 'a: 0o17', 'a: 0x1F', 'a: 3.25', 'a: 1e3', 'a: .5', 'a: 2024-07-10', 'a: 2024-07-10T18:30:00+02:00',
    'a: 18:30', 'a: https://example.com/x?y=1', 'a: yes', 'a: text   ', '# comment\na: 1\n\nb: 2', 'a: 1\n  # indented comment',
  ];
  it.each(accepted)('%j agrees with the yaml library', (text) => {
    const simple = parseSimpleYaml(text);
    expect(simple).toBeDefined();
    expect(simple!.data).toEqual(parse(text));
  });

  const declined = [
    'a: [1, 2]', 'a: {b: 1}', 'a:\n  b: 1', 'a: |\n  text', 'a: >\n  text', 'a: &x 1\nb: *x', 'a: !!str 1', 'a: "esc\\"aped"', 'a: x # comment',
    'a: b: c', 'a: 1\na: 2', '- item', '"quoted key": 1', 'a: -1', 'a: .inf', 'a: "unterminated', 'a: text\n  continued', 'a: @x', 'a: `x`', '',
  ];
  it.each(declined)('%j is left to the yaml library', (text) => {
    expect(parseSimpleYaml(text)).toBeUndefined();
  });
});
