// Modal questions asked before something that may cost money or cannot be undone: the one seam for every
// money question (the gate's confirmations, Generate All's total, resubmitting an uncertain request,
// removing a task CometAPI still bills), and replacing a saved video, sending the key to a new origin,
// replacing a film changed by hand, assembling a film with shots missing. Each question has an id.
//
// VS Code refuses modal dialogs while extension tests run ("DialogService: refused to show dialog in
// tests"), so these paths could not be tested at all. In test runs only (testHooksEnabled: ExtensionMode.Test
// or the runner's SEEDANCE_TEST_HOOKS=1; never in a normal installation, where the answerer is ignored) an
// integration test may answer a question by setting a function on globalThis under ANSWERER_KEY; it receives
// the question and returns the label it "clicks", and every other line of the path runs as it would for a person.
import * as vscode from 'vscode';

export interface ModalQuestion {
  /** Which question this is (e.g. 'gate.aboveThreshold', 'task.removeRunning'), so a test can tell them apart. */
  readonly id: string;
  readonly message: string;
  readonly detail?: string;
  readonly choices: readonly string[];
}

/** Where a test run's answerer lives (a global: the test and the bundled extension share no module). */
export const ANSWERER_KEY = Symbol.for('seedanceStudio.test.modalAnswerer');

let testAnswersAllowed = false;

/** Set once at activation: whether this is a test run, where a test may answer modal questions. */
export function allowTestModalAnswers(allowed: boolean): void {
  testAnswersAllowed = allowed;
}

/**
 * A modal warning with the given choices; resolves with the label chosen, or undefined for Cancel/Escape.
 * Every question has an id: a test tells them apart by it.
 */
export async function ask(question: ModalQuestion): Promise<string | undefined> {
  const { message, detail, choices } = question;
  const answerer = testAnswersAllowed ? (globalThis as Record<symbol, unknown>)[ANSWERER_KEY] : undefined;
  if (typeof answerer === 'function') {
    const answer = (await (answerer as (q: ModalQuestion) => unknown)({ ...question })) as string | undefined;
    return answer !== undefined && choices.includes(answer) ? answer : undefined;
  }
  return vscode.window.showWarningMessage(message, { modal: true, ...(detail !== undefined ? { detail } : {}) }, ...choices);
}
