// Entry point of the Generate panel's browser code. Builds the form and the results list, restores what
// vscode.getState kept (the panel is not kept alive while hidden, on purpose: it costs memory), says
// `ready`, and from then on reacts to the extension's messages.
import './l10nSetup'; // first: configures the strings before any module builds text
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';

import { fieldsOf } from '../core/generationRequest';
import { MAX_PANEL_RESULTS, type ExtensionToWebview, type Reply } from '../shared/protocol';
import { h, replaceChildren } from './dom';
import { FormView, generateFormOf, type FormValues } from './form';
import { DraftQuestion } from './draftQuestion';
import { Host } from './host';
import { keepSelectAllInTextFields } from './keyboard';
import { ResultList } from './results';

// Before anything can take focus: Ctrl+A in the prompt must never travel to VS Code (see keyboard.ts).
keepSelectAllInTextFields(document);

const root = document.getElementById('app');
if (!root) throw new Error('The panel page has no #app element.');

const host = new Host(onMessage);
const saved = host.loadState();

/** Until `init` arrives the form shows what was saved (or a neutral placeholder) and cannot submit. */
let formValues: FormValues = saved
  ? { ...fieldsOf(saved.form), images: [] }
  : { prompt: '', model: '', seconds: 0, size: '', resolution: '', images: [] };

const form = new FormView(host, formValues, {
  onChange: (values) => {
    formValues = values;
    persist();
  },
  onSubmitted: (task) => {
    draft.settle(task.prompt);
    results.upsert(task, true);
  },
});
const results = new ResultList(host, {
  onPrefill: (prefill) => {
    form.applyPrefill(prefill);
    form.element.scrollIntoView({ block: 'start', behavior: 'smooth' });
  },
  onChange: () => persist(),
});

// Before a prefill replaces a typed, unsent prompt, the form asks (draftQuestion.ts); it sits above the prompt.
const draft = new DraftQuestion({
  currentPrompt: () => form.getValues().prompt,
  isResultPrompt: (prompt) => results.hasPrompt(prompt),
  apply: (prefill) => form.applyPrefill(prefill),
});
form.element.insertBefore(draft.element, form.element.querySelector('#prefill-note'));

replaceChildren(root, h('div', { class: 'layout' }, form.element, results.element));

function persist(): void {
  host.saveState({
    version: 1,
    form: generateFormOf(formValues),
    // The extension keeps the newest MAX_PANEL_RESULTS; a longer list would make the whole state unreadable
    // after a reload (parsePanelState refuses it), and the draft prompt with it (issue 23).
    resultIds: results.ids().slice(0, MAX_PANEL_RESULTS),
  });
}

function onMessage(message: Exclude<ExtensionToWebview, Reply>): void {
  switch (message.type) {
    case 'init': {
      // Saved form first (it is what the person last saw), else the extension's defaults (last used). A prompt
      // typed before `init` arrived (the box is there at once; init waits on the extension) is kept.
      const start: FormValues = saved
        ? { ...formValues, images: message.images }
        : { prompt: formValues.prompt, ...message.defaults, images: [] };
      // The prefill goes through the draft question once the results are there (a sent prompt is no draft).
      form.start(start);
      formValues = form.getValues();
      results.reset(message.results);
      if (message.prefill) draft.offer(message.prefill);
      if (message.focusTaskId) results.focus(message.focusTaskId);
      persist();
      break;
    }
    case 'prefill':
      draft.offer(message.prefill);
      break;
    case 'task':
      results.upsert(message.task, message.focus === true);
      break;
    case 'taskRemoved':
      results.remove(message.taskId);
      break;
    case 'pricing':
      form.setPricing(message.pricing);
      break;
  }
}

host.post(saved?.form.imageTokens?.length ? { type: 'ready', imageTokens: saved.form.imageTokens } : { type: 'ready' });
