import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APILabelComponent,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import { formatPlainTime, linkToPlain, type Button, type MessageModel, type ModalModel, type RichText, type Span, type TimeFormat } from '../message';
import { discordLink, escapeMarkdown, neutraliseMentions } from './escape';

export { escapeMarkdown, neutraliseMentions } from './escape';

/** Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  description: 4096,
  fieldsPerEmbed: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Title, description, field names and values, footer and author over all embeds of one message. */
  embedTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  url: 512,
  modalTitle: 45,
  modalInputs: 5,
  inputLabel: 45,
  placeholder: 100,
  inputValue: 4000,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** The community's accent colour on every embed. */
export const EMBED_COLOR = 0xe8590c;

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** A message body for channel messages, interaction replies and webhook edits. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ActionRow[];
  /** Always empty: nothing the bot says may ping, whatever the text contains. */
  allowed_mentions: { parse: [] };
  flags?: number;
}

export interface RenderOptions {
  /**
   * A short reference shown in the footer (or as subtext under plain content), so the bot can later recognise
   * its own post in channel history: the nonce Discord deduplicates on is not kept in fetched messages.
   */
  marker?: string;
}

const EMPTY_FIELD = '\u200b';

const TIME_STYLES: Record<TimeFormat, string> = { full: 'F', date: 'D', time: 't', relative: 'R' };

/** `<t:unix:F>`: every reader sees the time in their own zone and language. */
export function discordTime(span: Extract<Span, { kind: 'time' }>): string {
  return `<t:${Math.floor(span.at.toSeconds())}:${TIME_STYLES[span.format]}>`;
}

export function spanToMarkdown(span: Span): string {
  if (typeof span === 'string') return escapeMarkdown(span);
  switch (span.kind) {
    case 'bold':
      return span.text.trim() ? `**${escapeMarkdown(span.text.trim())}**` : escapeMarkdown(span.text);
    case 'code':
      // Inside a code span nothing is parsed: only the backtick itself needs replacing.
      return span.text ? '`' + neutraliseMentions(span.text.replace(/`/g, "'")) + '`' : '';
    case 'link':
      return discordLink(span);
    case 'time':
      return discordTime(span);
  }
}

export function richToMarkdown(text: RichText | undefined): string {
  return (text ?? []).map(spanToMarkdown).join('');
}

/** For places without markdown (footer, button labels, modal texts): times in the event's zone, mentions inert. */
export function richToInert(text: RichText | undefined): string {
  return neutraliseMentions((text ?? []).map((s) => (typeof s !== 'string' && s.kind === 'time' ? formatPlainTime(s.at, s.format === 'relative' ? 'full' : s.format) : plainSpan(s))).join(''));
}

function plainSpan(span: Span): string {
  if (typeof span === 'string') return span;
  if (span.kind === 'link') return linkToPlain(span);
  if (span.kind === 'time') return formatPlainTime(span.at, span.format);
  return span.text;
}

/**
 * Cuts at a line (or word) boundary when possible, marking the cut with an ellipsis, and never leaves half a
 * markdown token behind: a lone escaping backslash, an open `[label](`, an unclosed `<t:` or bold/code marker.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const cut = Math.max(room.lastIndexOf('\n'), room.lastIndexOf(' '));
  let kept = cut > max * 0.6 ? room.slice(0, cut) : room;
  kept = kept.replace(/\[[^\]]*(\]\([^)]*)?$/, '').replace(/<[^>]*$/, '');
  if ((kept.match(/\*\*/g)?.length ?? 0) % 2 === 1) kept = kept.slice(0, kept.lastIndexOf('**'));
  if (((kept.replace(/\\`/g, '').match(/`/g)?.length ?? 0) % 2) === 1) kept = kept.slice(0, kept.lastIndexOf('`'));
  kept = kept.replace(/(^|[^\\])(\\\\)*\\$/, '$1$2').trimEnd();
  return kept + '…';
}

/** A model is "plain" when it is only a short text (with or without buttons): that reads best as message content. */
function isPlain(m: MessageModel): boolean {
  return !m.title && !m.titleUrl && m.sections.length === 0 && m.fields.length === 0 && m.links.length === 0 && !m.footer;
}

/** The message model as a Discord message: one embed (more when long), buttons as action rows, nothing pings. */
export function renderMessage(m: MessageModel, options: RenderOptions = {}): DiscordMessage {
  const components = renderButtons(m.buttons);
  const ephemeral = m.ephemeral ? MessageFlags.Ephemeral : 0;
  const base = { components, allowed_mentions: { parse: [] as [] } };
  if (isPlain(m)) {
    const text = m.intro?.length ? richToMarkdown(m.intro) : escapeMarkdown(m.fallback ?? '');
    const marker = options.marker ? `\n-# ref ${options.marker}` : '';
    // An empty message is refused by Discord; a lone zero-width space would look like a bug, so say something.
    const content = truncate(text.trim() || '…', LIMITS.content - marker.length) + marker;
    // Links in content would each unfurl into a preview card, burying the one line that matters.
    const flags = ephemeral | (/https?:\/\//.test(content) ? MessageFlags.SuppressEmbeds : 0);
    return { content, embeds: [], ...base, ...(flags ? { flags } : {}) };
  }
  return { embeds: renderEmbeds(m, options.marker), ...base, ...(ephemeral ? { flags: ephemeral } : {}) };
}

function renderEmbeds(m: MessageModel, marker: string | undefined): APIEmbed[] {
  const budget = new Budget(LIMITS.embedTotal);
  const first: APIEmbed = { color: EMBED_COLOR };
  if (m.title) first.title = budget.take(truncate(escapeMarkdown(m.title), LIMITS.embedTitle));
  if (m.titleUrl && /^https?:\/\//i.test(m.titleUrl)) first.url = m.titleUrl;

  const footerText = footerOf(m, marker);
  // Reserved first: the footer carries the hashtag and the delivery reference, which must survive truncation.
  if (footerText) budget.reserve(footerText.length);

  const fields = m.fields.map((f) => ({ name: truncate(escapeMarkdown(f.name) || EMPTY_FIELD, LIMITS.fieldName), value: richToMarkdown(f.value).trim() || EMPTY_FIELD, inline: f.inline }));
  // Fields (when, where) are short and matter most; long prose gives way to them, up to half the budget.
  const fieldsReserve = Math.min(LIMITS.embedTotal / 2, fields.reduce((n, f) => n + f.name.length + Math.min(f.value.length, LIMITS.fieldValue), 0));
  budget.reserve(fieldsReserve);

  const embeds: APIEmbed[] = [first];
  for (const [i, text] of splitDescription(descriptionParts(m), LIMITS.description).entries()) {
    const room = Math.min(budget.left, LIMITS.description);
    const target = room < 20 ? undefined : i === 0 ? first : pushEmbed(embeds);
    if (!target) break;
    target.description = budget.take(truncate(text, room));
  }
  budget.release(fieldsReserve);

  let fieldTarget = embeds[embeds.length - 1]!;
  for (const field of fields) {
    if ((fieldTarget.fields?.length ?? 0) >= LIMITS.fieldsPerEmbed) {
      const next = pushEmbed(embeds);
      if (!next) break;
      fieldTarget = next;
    }
    const room = Math.min(LIMITS.fieldValue, budget.left - field.name.length);
    if (room < 10) break;
    (fieldTarget.fields ??= []).push({ name: budget.take(field.name), value: budget.take(truncate(field.value, room)), ...(field.inline ? { inline: true } : {}) });
  }

  if (footerText) {
    budget.release(footerText.length);
    embeds[embeds.length - 1]!.footer = { text: budget.take(footerText) };
  }
  return embeds;
}

function pushEmbed(embeds: APIEmbed[]): APIEmbed | undefined {
  if (embeds.length >= LIMITS.embeds) return undefined;
  const embed: APIEmbed = { color: EMBED_COLOR };
  embeds.push(embed);
  return embed;
}

function descriptionParts(m: MessageModel): string[] {
  const parts: string[] = [];
  if (m.intro?.length) parts.push(richToMarkdown(m.intro));
  for (const s of m.sections) {
    const heading = s.heading ? `**${escapeMarkdown(s.heading)}**\n` : '';
    parts.push(heading + richToMarkdown(s.body));
  }
  if (m.links.length) parts.push(m.links.map(discordLink).join('  ·  '));
  return parts.filter((p) => p.trim());
}

/** Joins parts with blank lines into descriptions of at most `max` characters, breaking between parts or lines. */
function splitDescription(parts: string[], max: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const part of parts) {
    for (const line of part.length > max ? part.split('\n') : [part]) {
      const separator = current ? (line === part ? '\n\n' : '\n') : '';
      if (current && current.length + separator.length + line.length > max) {
        pieces.push(current);
        current = line;
      } else current += separator + line;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

function footerOf(m: MessageModel, marker: string | undefined): string | undefined {
  const reference = marker ? `ref ${marker}` : '';
  const text = m.footer ? richToInert(m.footer).trim() : '';
  if (!text) return reference || undefined;
  const joiner = reference ? '  ·  ' : '';
  return truncate(text, LIMITS.footer - joiner.length - reference.length) + joiner + reference;
}

/** The characters one message may still spend on embed text. */
class Budget {
  private reserved = 0;
  constructor(private remaining: number) {}
  get left(): number {
    return this.remaining - this.reserved;
  }
  reserve(n: number): void {
    this.reserved += n;
  }
  release(n: number): void {
    this.reserved -= n;
  }
  take(text: string): string {
    this.remaining -= text.length;
    return text;
  }
}

const BUTTON_STYLES = { primary: ButtonStyle.Primary, danger: ButtonStyle.Danger } as const;

/** Buttons as action rows of five; a button Discord would refuse (id too long, odd URL) is left out. */
export function renderButtons(buttons: readonly Button[]): ActionRow[] {
  const valid = buttons.filter((b) => (b.url ? /^https?:\/\//i.test(b.url) && b.url.length <= LIMITS.url : b.id.length > 0 && b.id.length <= LIMITS.customId));
  const unique = valid.filter((b, i) => b.url || valid.findIndex((o) => !o.url && o.id === b.id) === i);
  const rows: ActionRow[] = [];
  for (let i = 0; i < unique.length && rows.length < LIMITS.rows; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: unique.slice(i, i + LIMITS.buttonsPerRow).map(renderButton) });
  }
  return rows;
}

function renderButton(b: Button): APIButtonComponent {
  const label = truncate(neutraliseMentions(b.label), LIMITS.buttonLabel);
  if (b.url) return { type: ComponentType.Button, style: ButtonStyle.Link, label, url: b.url };
  return { type: ComponentType.Button, style: b.style ? BUTTON_STYLES[b.style] : ButtonStyle.Secondary, label, custom_id: b.id };
}

/**
 * A form as a Discord modal: each field a Label around a text input. `prefill` puts back what the user typed
 * when a submission is shown again after a problem.
 */
export function renderModal(modal: ModalModel, prefill: Record<string, string> = {}): APIModalInteractionResponseCallbackData {
  if (modal.fields.length < 1 || modal.fields.length > LIMITS.modalInputs) {
    throw new Error(`modal ${modal.id} has ${modal.fields.length} fields; Discord shows 1 to ${LIMITS.modalInputs}`);
  }
  if (modal.id.length > LIMITS.customId) throw new Error(`modal id ${modal.id} is longer than ${LIMITS.customId} characters`);
  return {
    custom_id: modal.id,
    title: truncate(neutraliseMentions(modal.title), LIMITS.modalTitle),
    components: modal.fields.map((f): APILabelComponent => {
      const maxLength = Math.min(Math.max(f.maxLength, 1), LIMITS.inputValue);
      const value = (prefill[f.id] ?? f.value)?.slice(0, maxLength);
      return {
        type: ComponentType.Label,
        label: truncate(neutraliseMentions(f.label), LIMITS.inputLabel),
        component: {
          type: ComponentType.TextInput,
          custom_id: f.id,
          style: f.style === 'paragraph' ? TextInputStyle.Paragraph : TextInputStyle.Short,
          required: f.required,
          max_length: maxLength,
          ...(f.minLength !== undefined ? { min_length: Math.min(f.minLength, maxLength) } : {}),
          ...(f.placeholder ? { placeholder: truncate(f.placeholder, LIMITS.placeholder) } : {}),
          ...(value ? { value } : {}),
        },
      };
    }),
  };
}

/** Autocomplete answers within Discord's limits: 25 choices, names 1-100 characters, values up to 100. */
export function renderChoices(choices: readonly { name: string; value: string }[]): { name: string; value: string }[] {
  return choices
    .filter((c) => c.value.length <= LIMITS.choiceValue && c.value.length > 0)
    .slice(0, LIMITS.choices)
    .map((c) => ({ name: truncate(c.name.trim() || c.value, LIMITS.choiceName), value: c.value }));
}
