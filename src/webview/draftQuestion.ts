// Asks before a prefill (Regenerate, a selection, a saved record) replaces a prompt the person typed and has
// not sent. A prompt that is already one of the results, or was itself put there by a prefill, is not a draft:
// replacing it loses nothing, so nothing is asked. The question sits in the form, not in a modal dialog: the
// draft stays visible beside it while the person decides.
import * as l10n from '@vscode/l10n';
import type { Prefill } from '../shared/protocol';
import { codicon, h, replaceChildren, setHidden } from './dom';

/** The first words of a prompt, for the question. */
function excerpt(prompt: string, max = 90): string {
  const line = prompt.trim().replace(/\s+/g, ' ');
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

export class DraftQuestion {
  readonly element = h('div', { class: 'draft-question', id: 'draft-question', role: 'group', 'aria-labelledby': 'draft-question-text', hidden: true });
  /** The prompt last put in the box by a prefill (or sent): not a draft. */
  private settled: string | undefined;
  private pending: Prefill | undefined;

  constructor(
    private readonly deps: {
      /** The prompt in the box now. */
      currentPrompt(): string;
      /** Whether a result card already carries this prompt (sent: nothing to lose). */
      isResultPrompt(prompt: string): boolean;
      /** Fills the form in. */
      apply(prefill: Prefill): void;
    },
  ) {}

  /** A prompt that was just sent, or placed without asking: replacing it later needs no question. */
  settle(prompt: string): void {
    this.settled = prompt;
  }

  /** Fills the form in now, or asks first when that would replace a typed draft. */
  offer(prefill: Prefill): void {
    const current = this.deps.currentPrompt();
    const isDraft = current.trim() !== '' && current !== prefill.prompt && current !== this.settled && !this.deps.isResultPrompt(current);
    if (!isDraft) {
      this.close();
      this.place(prefill);
      return;
    }
    this.pending = prefill;
    const replace = h('vscode-button', { id: 'draft-replace', icon: 'replace' }, l10n.t('Replace'));
    const keep = h('vscode-button', { id: 'draft-keep', secondary: true }, l10n.t('Keep My Draft'));
    replace.addEventListener('click', () => {
      const chosen = this.pending;
      this.close();
      if (chosen) this.place(chosen);
    });
    keep.addEventListener('click', () => {
      this.close();
      // The typed draft stays; it is still a draft, so a later prefill asks again.
      document.getElementById('prompt')?.focus();
    });
    replaceChildren(
      this.element,
      h('p', { id: 'draft-question-text' }, codicon('question'), ' ', prefill.source === 'regenerate'
        ? l10n.t('Replace the prompt you typed with the earlier request?')
        : l10n.t('Replace the prompt you typed?')),
      h('p', { class: 'muted draft-incoming' }, l10n.t('New prompt: "{0}"', excerpt(prefill.prompt))),
      h('div', { class: 'draft-actions' }, replace, keep),
    );
    setHidden(this.element, false);
    // The safe choice has the focus: Enter keeps the draft. After the component's first render, which is
    // when it becomes focusable (its tabindex is written then).
    void keep.updateComplete.then(() => {
      if (this.pending === prefill) keep.focus();
    });
  }

  private place(prefill: Prefill): void {
    this.settled = prefill.prompt;
    this.deps.apply(prefill);
  }

  private close(): void {
    this.pending = undefined;
    replaceChildren(this.element);
    setHidden(this.element, true);
  }
}
