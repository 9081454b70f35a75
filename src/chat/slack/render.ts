import type { types } from '@slack/bolt';
import { formatPlainTime, toPlainText, type Field, type MessageModel, type ModalModel, type RichText, type Span, type TimeFormat } from '../message';
import { escapeMrkdwn, escapeText, slackLink } from './escape';

type Block = types.KnownBlock;

/** Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks): Slack rejects messages beyond them. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  header: 150,
  buttonText: 75,
  buttonsPerActions: 25,
  fallbackText: 3000,
  modalTitle: 24,
  inputLabel: 2000,
  placeholder: 150,
} as const;

export interface SlackMessage {
  text: string;
  blocks: Block[];
}


const DATE_TOKENS: Record<TimeFormat, string> = {
  full: '{date_short_pretty} at {time}',
  date: '{date_short_pretty}',
  time: '{time}',
  relative: '{ago}',
};

/** Slack shows `<!date^…>` in each reader's own zone; the fallback keeps the community's zone and its abbreviation. */
export function slackDate(span: Extract<Span, { kind: 'time' }>): string {
  const unix = Math.floor(span.at.toSeconds());
  const fallback = formatPlainTime(span.at, span.format === 'relative' ? 'full' : span.format);
  return `<!date^${unix}^${DATE_TOKENS[span.format]}|${escapeText(fallback)}>`;
}

export function spanToMrkdwn(span: Span): string {
  if (typeof span === 'string') return escapeMrkdwn(span);
  switch (span.kind) {
    case 'bold':
      return span.text.trim() ? `*${escapeMrkdwn(span.text.trim())}*` : escapeMrkdwn(span.text);
    case 'code':
      // Nothing is formatted inside a code span; only its own backtick must not end it early.
      return span.text ? '`' + escapeText(span.text.replace(/`/g, "'")) + '`' : '';
    case 'link':
      return slackLink(span);
    case 'time':
      return slackDate(span);
  }
}

/**
 * Slack only formats a marker at a word boundary: bold glued to a word ("0*x*") would show its asterisks, so
 * a zero-width space goes between them.
 */
export function richToMrkdwn(text: RichText | undefined): string {
  let out = '';
  let afterBold = false;
  for (const span of text ?? []) {
    const piece = spanToMrkdwn(span);
    const bold = typeof span !== 'string' && span.kind === 'bold' && piece.startsWith('*');
    if ((bold && WORD_END.test(out)) || (afterBold && WORD_START.test(piece))) out += ZERO_WIDTH_SPACE;
    out += piece;
    afterBold = bold;
  }
  return out;
}

const ZERO_WIDTH_SPACE = '\u200b';
const WORD_END = /[\p{L}\p{N}]$/u;
const WORD_START = /^[\p{L}\p{N}]/u;

/** Cuts at a line (or word) boundary when possible, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const cut = Math.max(room.lastIndexOf('\n'), room.lastIndexOf(' '));
  const kept = cut > max * 0.6 ? room.slice(0, cut) : room;
  // Never end inside an entity (&amp;) or a <link|…>/<!date…> token: half of one shows as raw markup.
  return kept.replace(/&[a-z]*$/, '').replace(/<[^>]*$/, '').trimEnd() + '…';
}

/**
 * Splits long mrkdwn into pieces that fit one section each, at line breaks, never inside a `<…>` token
 * (a link or date cut in half would show raw markup).
 */
export function splitMrkdwn(text: string, max: number = LIMITS.sectionText): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    for (const part of splitLine(line, max)) {
      const joined = current ? `${current}\n${part}` : part;
      if (joined.length <= max) current = joined;
      else {
        pieces.push(current);
        current = part;
      }
    }
  }
  if (current || pieces.length === 0) pieces.push(current);
  return pieces;
}

/** Cuts one line longer than a section at word boundaries (see cutPoint). */
function splitLine(line: string, max: number): string[] {
  const parts: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const cut = cutPoint(rest, max);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  parts.push(rest);
  return parts;
}

/**
 * Where to cut text so the first piece is at most max long: before the last space or `<` outside a `<…>` token,
 * so no word is cut; a single word longer than a section is cut at the last place outside a token and an
 * entity (`&amp;` cut in half shows as raw markup). Only a token longer than a whole section is cut inside.
 */
function cutPoint(text: string, max: number): number {
  let boundary = 0;
  let safe = 0;
  let inToken = false;
  let inEntity = false;
  for (let i = 0; i <= max && i < text.length; i++) {
    const c = text[i];
    if (i > 0 && !inToken && !inEntity) {
      safe = i;
      if (c === ' ' || c === '<') boundary = i;
    }
    if (c === '<') inToken = true;
    else if (c === '>') inToken = false;
    if (c === '&') inEntity = true;
    else if (c === ';' || c === ' ') inEntity = false;
  }
  return boundary || safe || max;
}

const plain = (text: string, max: number): types.PlainTextElement => ({ type: 'plain_text', text: truncate(escapeText(text), max), emoji: true });
/** verbatim: Slack must not link-ify channel names or parse mentions by itself; every link here is explicit. */
const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text, verbatim: true });

function sections(text: string): Block[] {
  return splitMrkdwn(text).filter((t) => t.trim()).map((t) => ({ type: 'section', text: mrkdwn(t) }));
}

function fieldBlocks(fields: Field[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection) {
    const group = fields.slice(i, i + LIMITS.fieldsPerSection);
    blocks.push({ type: 'section', fields: group.map((f) => mrkdwn(truncate(`*${escapeMrkdwn(f.name)}*\n${richToMrkdwn(f.value)}`, LIMITS.fieldText))) });
  }
  return blocks;
}

function buttonBlocks(m: MessageModel): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < m.buttons.length; i += LIMITS.buttonsPerActions) {
    const elements = m.buttons.slice(i, i + LIMITS.buttonsPerActions).map((b): types.Button => ({
      type: 'button',
      action_id: b.id,
      text: plain(b.label, LIMITS.buttonText),
      ...(b.url ? { url: b.url } : { value: b.id }),
      ...(b.style ? { style: b.style } : {}),
    }));
    blocks.push({ type: 'actions', elements });
  }
  return blocks;
}

function linkBlocks(m: MessageModel): Block[] {
  const links = m.links.map(slackLink);
  return links.length ? sections(links.join('  ·  ')) : [];
}

/** The message as Block Kit plus the `text` fallback Slack shows in notifications and to screen readers. */
export function renderMessage(m: MessageModel): SlackMessage {
  const head: Block[] = [];
  if (m.title) head.push({ type: 'header', text: plain(m.title, LIMITS.header) });
  if (m.titleUrl) head.push({ type: 'context', elements: [mrkdwn(slackLink({ url: m.titleUrl, label: m.titleUrl.replace(/^https?:\/\//, '') }))] });
  if (m.intro) head.push(...sections(richToMrkdwn(m.intro)));
  for (const s of m.sections) {
    const heading = s.heading ? `*${escapeMrkdwn(s.heading)}*\n` : '';
    head.push(...sections(heading + richToMrkdwn(s.body)));
  }
  head.push(...fieldBlocks(m.fields), ...linkBlocks(m));

  const tail: Block[] = [...buttonBlocks(m)];
  if (m.footer) tail.push({ type: 'context', elements: [mrkdwn(truncate(richToMrkdwn(m.footer), LIMITS.sectionText))] });

  return { text: fallbackText(m), blocks: fitBlocks(head, tail) };
}

/** Over 50 blocks: keep the beginning and the buttons/footer, and say that something was left out. */
function fitBlocks(head: Block[], tail: Block[]): Block[] {
  if (head.length + tail.length <= LIMITS.blocks) return [...head, ...tail];
  const keep = LIMITS.blocks - tail.length - 1;
  const omitted = head.length - keep;
  const note: Block = { type: 'context', elements: [mrkdwn(`… ${omitted} more part${omitted === 1 ? '' : 's'} not shown here.`)] };
  return [...head.slice(0, keep), note, ...tail];
}

export function fallbackText(m: MessageModel): string {
  return truncate(escapeText(toPlainText(m)), LIMITS.fallbackText);
}

/** A form as a `views.open` modal: callback_id routes the submission back to the command. */
export function renderModal(modal: ModalModel, privateMetadata = ''): types.ModalView {
  return {
    type: 'modal',
    callback_id: modal.id,
    title: plain(modal.title, LIMITS.modalTitle),
    submit: plain(modal.submitLabel, LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: privateMetadata,
    blocks: modal.fields.map((f) => ({
      type: 'input',
      block_id: f.id,
      optional: !f.required,
      label: plain(f.label, LIMITS.inputLabel),
      element: {
        type: 'plain_text_input',
        action_id: f.id,
        multiline: f.style === 'paragraph',
        max_length: f.maxLength,
        ...(f.minLength !== undefined ? { min_length: f.minLength } : {}),
        ...(f.placeholder ? { placeholder: plain(f.placeholder, LIMITS.placeholder) } : {}),
        ...(f.value ? { initial_value: f.value.slice(0, f.maxLength) } : {}),
      },
    })),
  };
}

/** A message shown inside a modal after submitting (response_action "update"): no submit button. */
export function renderMessageView(m: MessageModel, title: string): types.ModalView {
  const { blocks } = renderMessage({ ...m, buttons: m.buttons.filter((b) => b.url) });
  return { type: 'modal', title: plain(title, LIMITS.modalTitle), close: plain('Close', LIMITS.modalTitle), blocks: blocks.slice(0, 100) };
}
