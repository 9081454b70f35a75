/**
 * Hugo shortcodes (`{{< name args >}}`, `{{% name %}}`) and the Zola/Tera calls some sites use (`{{ youtube(id="…") }}`)
 * are site templates, not text. A paired one (`{{< agenda >}} … {{< /agenda >}}`) wraps text that is part of the
 * post, so its tags go and its content stays; any other is left out and named in an info diagnostic. Line breaks
 * are kept, so every line after it keeps its number.
 */

const HUGO = /\{\{([<%])\s*(\/?)\s*([\w./-]+)([\s\S]{0,500}?)[>%]\}\}/g;
/** Tera calls (`{{ youtube(id="…") }}`), Liquid and Tera expressions (`{{ page.event.date | date: "%Hh%M" }}`) and tags (`{% if %}`). */
const TEMPLATE = /\{\{(?![<%])[^{}]{1,500}?\}\}|\{%[^{}]{1,500}?%\}/g;

export type ShortcodeNote = (lineOffset: number, message: string) => void;

/**
 * What a community's own shortcodes stand for (profile `shortcodes`): `speaker: "by {speaker_id}"` turns
 * `{{< speaker speaker_id="jarek-potiuk" >}}` into "by Jarek Potiuk" (`resolve` names the id), on its line.
 */
export interface ShortcodeTexts {
  texts: Readonly<Record<string, string>>;
  resolve: (value: string) => string;
}

const NO_TEXTS: ShortcodeTexts = { texts: {}, resolve: (v) => v };

/** `key="value"`, `key='value'`, `key=value` and positional `"value"` arguments; positional ones are `{0}`, `{1}`. */
function shortcodeArgs(args: string): Record<string, string> {
  const result: Record<string, string> = {};
  let position = 0;
  for (const m of args.matchAll(/(?:([\w-]+)\s*=\s*)?(?:"([^"]*)"|'([^']*)'|([^\s"'=/]+))/g)) {
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    result[m[1] ?? String(position++)] = value;
  }
  return result;
}

/** The body without shortcodes; `note` is told about each one left out (0-based line offset in the body). */
export function stripShortcodes(body: string, note: ShortcodeNote, own: ShortcodeTexts = NO_TEXTS): string {
  if (!body.includes('{{')) return body;
  const closers = new Set<string>();
  for (const m of body.matchAll(HUGO)) if (m[2] === '/') closers.add(m[3]!);
  const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length - 1;
  const byLine = new Map<number, string[]>();
  const tell = (line: number, text: string) => byLine.set(line, [...(byLine.get(line) ?? []), text.replace(/\s+/g, ' ')]);
  // A tag spanning lines leaves its line breaks, so the lines after it keep their numbers.
  const breaks = (text: string) => text.replace(/[^\n]/g, '');
  const withoutHugo = body.replace(HUGO, (whole: string, _delim: string, slash: string, name: string, args: string, index: number) => {
    const template = slash !== '/' && Object.hasOwn(own.texts, name) ? own.texts[name]! : undefined;
    if (template !== undefined) {
      const values = shortcodeArgs(args);
      const text = template.replace(/\{([\w-]+)\}/g, (_m, key: string) => own.resolve(values[key] ?? '')).replace(/\s+/g, ' ');
      return text + breaks(whole);
    }
    if (slash !== '/' && !closers.has(name)) tell(lineOf(body, index), whole);
    return breaks(whole);
  });
  const result = withoutHugo.replace(TEMPLATE, (whole: string, index: number) => {
    tell(lineOf(withoutHugo, index), whole);
    return breaks(whole);
  });
  for (const [line, found] of [...byLine].sort((a, b) => a[0] - b[0])) {
    const first = found[0]!.length > 60 ? `${found[0]!.slice(0, 60)}…` : found[0]!;
    const more = found.length > 1 ? ` and ${found.length - 1} more` : '';
    note(line, `\`${first}\`${more} on this line ${found.length > 1 ? 'are' : 'is'} the site's template code, not text: the bot leaves ${found.length > 1 ? 'them' : 'it'} out and reads the text around ${found.length > 1 ? 'them' : 'it'}.`);
  }
  return result;
}
