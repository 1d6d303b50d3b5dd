// The aspect-ratio picker: six small shapes, one per ratio. A custom control because a native radio list
// cannot show the shapes; built as an ARIA radio group (roving tabindex, arrow keys, Home/End, selection
// follows focus) so it behaves like any other radio group for keyboard and screen reader users.
import * as l10n from '@vscode/l10n';
import { ASPECT_RATIOS } from '../core/catalog';
import { h, setHidden } from './dom';

/** Looked up when the picker is built, after the page configured its language bundle. */
function ratioWords(): Record<string, string> {
  return {
    '21:9': l10n.t('ultra-wide'),
    '16:9': l10n.t('widescreen'),
    '4:3': l10n.t('classic'),
    '1:1': l10n.t('square'),
    '3:4': l10n.t('portrait'),
    '9:16': l10n.t('vertical'),
  };
}

export class SizePicker {
  readonly element: HTMLDivElement;
  private readonly buttons: HTMLButtonElement[];
  private value = '';

  constructor(labelId: string, private readonly onChange: (size: string) => void) {
    const RATIO_WORDS = ratioWords();
    this.buttons = ASPECT_RATIOS.map((ratio) =>
      h(
        'button',
        { type: 'button', role: 'radio', class: 'shape-option', 'data-ratio': ratio, 'aria-checked': 'false', tabindex: '-1', title: `${ratio} ${RATIO_WORDS[ratio]}` },
        h('span', { class: 'shape', 'data-ratio': ratio, 'aria-hidden': 'true' }),
        h('span', { class: 'shape-label' }, ratio),
        h('span', { class: 'visually-hidden' }, ` ${RATIO_WORDS[ratio]}`),
      ),
    );
    this.element = h('div', { role: 'radiogroup', class: 'shape-picker', 'aria-labelledby': labelId }, ...this.buttons);
    for (const button of this.buttons) {
      button.addEventListener('click', () => this.choose(button, false));
    }
    this.element.addEventListener('keydown', (e) => this.onKeyDown(e));
  }

  /** Shows `value` as selected; ratios the model refuses are hidden unless currently chosen (then flagged). */
  set(value: string, allowed: readonly string[]): void {
    this.value = value;
    for (const button of this.buttons) {
      const ratio = button.dataset.ratio ?? '';
      const checked = ratio === value;
      button.setAttribute('aria-checked', String(checked));
      button.tabIndex = checked ? 0 : -1;
      button.classList.toggle('not-offered', !allowed.includes(ratio));
      setHidden(button, !allowed.includes(ratio) && !checked);
    }
    // With no valid choice the first visible shape takes the tab stop, so the group stays reachable.
    if (!this.buttons.some((b) => b.tabIndex === 0)) {
      const first = this.visible()[0];
      if (first) first.tabIndex = 0;
    }
  }

  setInvalid(invalid: boolean, describedBy: string): void {
    this.element.setAttribute('aria-invalid', String(invalid));
    this.element.setAttribute('aria-describedby', describedBy);
  }

  private visible(): HTMLButtonElement[] {
    return this.buttons.filter((b) => !b.hidden);
  }

  private choose(button: HTMLButtonElement, focus: boolean): void {
    const ratio = button.dataset.ratio ?? '';
    if (focus) button.focus();
    if (ratio === this.value) return;
    this.onChange(ratio);
  }

  private onKeyDown(e: KeyboardEvent): void {
    const visible = this.visible();
    const index = visible.findIndex((b) => b === document.activeElement);
    if (index < 0) return;
    let next: number;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        next = (index + 1) % visible.length;
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        next = (index - 1 + visible.length) % visible.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = visible.length - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    this.choose(visible[next], true);
  }
}
