import { MessageFlags, type APIEmbed } from 'discord.js';
import type { MessageModel } from '../message';
import { LIMITS } from './limits';
import { richToMarkdown, truncate } from './text';
import { renderEmbeds } from './embeds';
import { renderButtons, type ActionRow } from './components';

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
    const text = richToMarkdown(m.intro);
    const marker = options.marker ? `\n-# ref ${options.marker}` : '';
    // An empty message is refused by Discord; a lone zero-width space would look like a bug, so say something.
    const content = truncate(text.trim() || '…', LIMITS.content - marker.length) + marker;
    // Links in content would each unfurl into a preview card, burying the one line that matters.
    const flags = ephemeral | (/https?:\/\//.test(content) ? MessageFlags.SuppressEmbeds : 0);
    return { content, embeds: [], ...base, ...(flags ? { flags } : {}) };
  }
  return { embeds: renderEmbeds(m, options.marker), ...base, ...(ephemeral ? { flags: ephemeral } : {}) };
}
