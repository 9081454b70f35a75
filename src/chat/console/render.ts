import { richToPlain, type Button, type MessageModel } from '../message';

/**
 * Terminal control characters (escape sequences, bidi overrides) from event files or users' text could
 * rewrite the operator's screen; they are dropped. Line breaks and tabs stay.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function sanitize(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/** A message as the console shows it: title, sections, fields, links, and buttons as "[Label]". */
export function renderConsole(m: MessageModel): string {
  const blocks: string[] = [];
  const head = [m.title, m.titleUrl].filter(Boolean).join('\n');
  if (head) blocks.push(head);
  if (m.intro) blocks.push(richToPlain(m.intro));
  if (m.fields.length > 0) blocks.push(m.fields.map((f) => `${f.name}: ${richToPlain(f.value)}`).join('\n'));
  for (const s of m.sections) blocks.push([s.heading, richToPlain(s.body)].filter(Boolean).join('\n'));
  if (m.links.length > 0) blocks.push(m.links.map((l) => `${l.label}: ${l.url}`).join('\n'));
  if (m.buttons.length > 0) blocks.push(m.buttons.map(renderButton).join('  '));
  if (m.footer) blocks.push(richToPlain(m.footer));
  return sanitize(blocks.filter((b) => b.trim() !== '').join('\n\n'));
}

function renderButton(b: Button): string {
  return b.url ? `[${b.label}] ${b.url}` : `[${b.label}]`;
}
