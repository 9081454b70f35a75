import {
  ButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APILabelComponent,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import type { Button, ModalModel } from '../message';
import { neutraliseMentions } from './escape';
import { LIMITS } from './limits';
import { truncate } from './text';

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

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
