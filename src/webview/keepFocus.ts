// A page that rebuilds its elements when the extension sends a new state must not drop a keyboard user's
// focus: a take finishing or a frame being captured rebuilds a card while the person is on its Choose
// button, and the next Enter would land on the page. (Moving an element that is kept drops its focus too:
// replaceChildren takes it out of the document for a moment.) Controls name themselves with `data-focus`,
// a key that stays the same across renders, or an id; keepFocus puts the focus back on that control.

/** Runs `rebuild`, then gives the focus back to the control that had it, or to the control that replaced it. */
export function keepFocus(rebuild: () => void): void {
  const before = document.activeElement;
  rebuild();
  // A page without the focus leaves it where the person is (an editor, a quick input): focus() in a
  // webview takes the focus from the workbench.
  if (!document.hasFocus() || !(before instanceof HTMLElement) || before === document.body || document.activeElement === before) return;
  const now = document.activeElement;
  if (now && now !== document.body) return; // the rebuild moved the focus on purpose (a shot to show)
  const key = before.dataset.focus;
  const again = before.isConnected
    ? before
    : key ? document.querySelector(`[data-focus="${CSS.escape(key)}"]`) : before.id ? document.getElementById(before.id) : null;
  if (!(again instanceof HTMLElement)) return;
  again.focus({ preventScroll: true });
  // A web component (vscode-button) can take the focus only after its first render, a microtask later.
  const rendered = (again as { updateComplete?: Promise<unknown> }).updateComplete;
  if (document.activeElement !== again && rendered) {
    void rendered.then(() => {
      if (document.hasFocus() && document.activeElement === document.body) again.focus({ preventScroll: true });
    });
  }
}
