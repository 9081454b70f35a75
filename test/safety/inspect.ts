import { domainToUnicode } from 'node:url';
import type { DiscordMessage } from '../../src/chat/discord/render';
import type { SlackMessage } from '../../src/chat/slack/render';

/**
 * Readers of rendered output, written from the platforms' syntax (not from our renderers): they list every
 * live mention and every link target, and say what is wrong. `carried` is all the data that went in; a link
 * is fine only when it is an http(s)/mailto URL to a host that data named.
 */

const BROADCAST = /@(?:here|channel|everyone)\b/i;

export function urlProblem(raw: string, carried: string): string | undefined {
  if (!/^(?:https?:\/\/|mailto:)/.test(raw)) return `link to a non-http(s)/mailto target: ${raw}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `link target does not parse: ${raw}`;
  }
  if (url.username || url.password) return `link with credentials: ${raw}`;
  const host = url.protocol === 'mailto:' ? url.pathname.split('@').pop()! : url.hostname;
  const text = carried.toLowerCase();
  if (!host || !(text.includes(host.toLowerCase()) || text.includes(domainToUnicode(host).toLowerCase()))) return `link to a host the data did not name: ${raw}`;
  return undefined;
}

// ----- Slack ------------------------------------------------------------------------------------------------

interface SlackTexts {
  mrkdwn: { text: string; verbatim?: boolean }[];
  plain: string[];
  urls: string[];
}

function collectSlack(value: unknown, out: SlackTexts): void {
  if (Array.isArray(value)) for (const v of value) collectSlack(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') out.mrkdwn.push({ text: o.text, verbatim: o.verbatim as boolean | undefined });
    else if (o.type === 'plain_text' && typeof o.text === 'string') out.plain.push(o.text);
    if (o.type === 'button' && typeof o.url === 'string') out.urls.push(o.url);
    for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v !== 'string') collectSlack(v, out);
  }
}

/** Slack's own `<!date^…|…>` tokens are ours, never data's (data's `<` is always an entity). */
const SLACK_DATE = /<!date\^\d+\^[^|>]*\|[^>]*>/g;

export function slackProblems(rendered: SlackMessage, carried: string): string[] {
  const texts: SlackTexts = { mrkdwn: [], plain: [], urls: [] };
  collectSlack(rendered.blocks, texts);
  const problems: string[] = [];
  for (const m of texts.mrkdwn) if (m.verbatim !== true) problems.push(`mrkdwn without verbatim (Slack would parse names): ${m.text}`);
  for (const text of [...texts.mrkdwn.map((m) => m.text), rendered.text]) {
    for (const token of text.replace(SLACK_DATE, '').matchAll(/<([^>]*)>/g)) {
      const target = token[1]!.split('|')[0]!;
      if (/^[!@#]/.test(target)) problems.push(`live mention ${token[0]} in: ${text}`);
      else {
        const problem = urlProblem(target.replace(/&amp;/g, '&'), carried);
        if (problem) problems.push(problem);
      }
    }
    // A link's target is an address, never read as words; its label is shown and must be quiet.
    if (BROADCAST.test(text.replace(/<[^>|]*(\||>)/g, '<$1'))) problems.push(`broadcast word in: ${text}`);
  }
  for (const text of texts.plain) if (BROADCAST.test(text) || /<[!@#]/.test(text)) problems.push(`mention in plain text: ${text}`);
  for (const url of texts.urls) {
    const problem = urlProblem(url, carried);
    if (problem) problems.push(`button: ${problem}`);
  }
  return problems;
}

/** Formatting markers Slack acts on: `*`, `_`, `~` at a word boundary, any backtick, a quote at a line start. */
export function slackMarkers(text: string): { markers: string[]; quotes: number } {
  const outside = text.replace(SLACK_DATE, '').replace(/<[^>]*>/g, ' ');
  return {
    markers: [...outside.matchAll(/(?<![\p{L}\p{N}])[*_~]|[*_~](?![\p{L}\p{N}])|`/gu)].map((m) => m[0]),
    quotes: [...outside.matchAll(/(?:^|\n)[ \t]*(?:&gt;|>)/g)].length,
  };
}

// ----- Discord ----------------------------------------------------------------------------------------------

/** True when the character at `i` is preceded by an odd number of backslashes (escaped). */
function escaped(text: string, i: number): boolean {
  let n = 0;
  while (i - 1 - n >= 0 && text[i - 1 - n] === '\\') n++;
  return n % 2 === 1;
}

const ZWJ = '\u200d';

/** Mentions and links in one markdown text (content, embed title, description, field). */
/** Discord has no @channel; only these two broadcast. */
const DISCORD_BROADCAST = /@(?:here|everyone)\b/i;

function discordMarkdownProblems(text: string, carried: string, problems: string[]): void {
  if (DISCORD_BROADCAST.test(text)) problems.push(`broadcast word in: ${text}`);
  for (const m of text.matchAll(/<(?=@|#\d|\/\w|a?:\w+:\d)/g)) {
    if (!escaped(text, m.index) && text[m.index + 1] !== ZWJ) problems.push(`live mention at ${m.index} in: ${text}`);
  }
  // Inside inline code nothing links.
  let prose = text.replace(/(?<!\\)`[^`]*`/g, ' ');
  const targets: [number, number][] = [];
  for (const m of prose.matchAll(/\]\(/g)) {
    if (escaped(prose, m.index)) continue;
    const open = prose.lastIndexOf('[', m.index);
    if (open < 0 || escaped(prose, open)) continue;
    const raw = prose.slice(m.index + 2).split(/[)\s]/)[0]!;
    targets.push([m.index + 2, raw.length]);
    const problem = urlProblem(raw.replace(/^<|>$/g, ''), carried);
    if (problem) problems.push(`masked ${problem}`);
  }
  // What a masked link points to has been checked; it is not running text.
  for (const [at, length] of targets) prose = prose.slice(0, at) + ' '.repeat(length) + prose.slice(at + length);
  for (const m of prose.matchAll(/https?:\/\/[^\s)>\]\\]+/g)) {
    const problem = urlProblem(m[0], carried);
    if (problem) problems.push(`${problem} in: ${text}`);
  }
}

export function discordProblems(rendered: DiscordMessage, carried: string): string[] {
  const problems: string[] = [];
  if (JSON.stringify(rendered.allowed_mentions) !== '{"parse":[]}') problems.push(`allowed_mentions is ${JSON.stringify(rendered.allowed_mentions)}`);
  const markdown = [rendered.content ?? '', ...rendered.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])];
  for (const text of markdown) discordMarkdownProblems(text, carried, problems);
  const plain = [...rendered.embeds.map((e) => e.footer?.text ?? ''), ...rendered.components.flatMap((r) => r.components.map((c) => ('label' in c ? (c.label ?? '') : '')))];
  for (const text of plain) if (DISCORD_BROADCAST.test(text) || /<[@#](?!\u200d)/.test(text)) problems.push(`mention in plain text: ${text}`);
  const urls = [...rendered.embeds.flatMap((e) => (e.url ? [e.url] : [])), ...rendered.components.flatMap((r) => r.components.flatMap((c) => ('url' in c && c.url ? [c.url] : [])))];
  for (const url of urls) {
    const problem = urlProblem(url, carried);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Unescaped markdown markers outside URLs and our own `<t:…>` times. */
export function discordMarkers(text: string): string[] {
  const outside = text.replace(/<https?:\/\/[^>]*>/g, ' ').replace(/https?:\/\/[^\s)>\]\\]+/g, ' ').replace(/<t:\d+:[a-zA-Z]>/g, ' ');
  const found: string[] = [];
  for (const m of outside.matchAll(/[*_~`|[\]]/g)) if (!escaped(outside, m.index)) found.push(m[0]);
  for (const m of outside.matchAll(/(?:^|\n)[ \t]*([#>+-]|\d+\.)/g)) if (!escaped(outside, m.index + m[0].length - 1)) found.push(`line start ${m[1]}`);
  return found;
}

// ----- console ----------------------------------------------------------------------------------------------

const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The console has no link or mention syntax: what matters is the terminal (control codes) and listed links. */
export function consoleProblems(text: string, listedUrls: string[], carried: string): string[] {
  const problems: string[] = [];
  if (TERMINAL_CONTROL.test(text)) problems.push(`terminal control character in: ${JSON.stringify(text)}`);
  for (const url of listedUrls) {
    const problem = urlProblem(url, carried);
    if (problem) problems.push(problem);
  }
  return problems;
}
