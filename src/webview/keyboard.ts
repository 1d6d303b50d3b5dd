// Ctrl/Cmd+A in a text field stays the browser's own (issue 23).
//
// Why: inside a webview, VS Code forwards every keydown to the workbench (its page listens on our window),
// and the workbench answers Ctrl+A with its Select All command, which posts execCommand('selectAll') back
// into this page. The browser has already selected all by then. On a loaded machine that second select-all
// arrives after the person has begun typing and selects what they typed so far, so the next key replaces it:
// "A lighthouse in a storm" went out as "lighthouse in a storm". Measured in VS Code 1.100 for the Web: the
// late select-all came in 20 of 30 quick tries (test/integration/promptTyping.test.ts).
//
// Stopping the keydown on its way up, before it reaches the window, leaves only the browser's immediate
// select-all. The default action is not prevented, every other key still reaches VS Code's keybindings, and
// Edit > Select All from a menu still works (it does not come from a keydown here).

/** Keeps Ctrl/Cmd+A in the page's text fields (shadow roots included) from travelling to VS Code. */
export function keepSelectAllInTextFields(doc: Document): void {
  doc.addEventListener('keydown', (event) => {
    if (isSelectAll(event) && isTextField(event.composedPath()[0])) event.stopPropagation();
  });
}

const IS_MAC = navigator.platform.toUpperCase().includes('MAC');

/** Select All as VS Code binds it: Cmd+A on a Mac, Ctrl+A elsewhere (keyCode 65 too, for other layouts). */
function isSelectAll(event: KeyboardEvent): boolean {
  const primary = IS_MAC ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  return primary && !event.altKey && !event.shiftKey && (event.key.toLowerCase() === 'a' || event.keyCode === 65);
}

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'url', 'tel', 'email', 'password', 'number']);

function isTextField(target: EventTarget | undefined): boolean {
  if (target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(target.type);
  return target instanceof HTMLElement && target.isContentEditable;
}
