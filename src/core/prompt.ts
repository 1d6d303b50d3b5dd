// A prompt where there is little room (the Seedance view's labels, notifications, progress titles): its
// first line, cut at a word boundary with an ellipsis. Pure; the words through @vscode/l10n.
import * as l10n from '@vscode/l10n';

/** The tree's label width; notifications pass a shorter one. */
const LABEL_CHARS = 60;

/** First line of the prompt, cut at a word boundary with an ellipsis. */
export function shortPrompt(prompt: string, max = LABEL_CHARS): string {
  const line = prompt.trim().split(/\r?\n/, 1)[0].replace(/\s+/g, ' ');
  if (line.length <= max) return line || l10n.t('(empty prompt)');
  const cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
