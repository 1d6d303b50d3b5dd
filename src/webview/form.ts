// The generation form. Its choices come from the catalogue (the same table the extension validates with),
// so Duration and Resolution only offer what the chosen model accepts. When a model change leaves a value
// the new model refuses, the value stays visible and is flagged next to its field, with a one-click fix
// from catalog.fitToModel: nothing is changed behind the person's back, and nothing invalid is sent.
import * as l10n from '@vscode/l10n';
import {
  ASPECT_RATIOS,
  findModel,
  fitToModel,
  replacementsOf,
  retiredModel,
  secondsFor,
  validate,
  type DraftField,
  type ValidationProblem,
} from '../core/catalog';
import { fieldsOf, type GenerationFields } from '../core/generationRequest';
import { referencesOf } from '../core/requestImages';
import { availabilityOf, liveListOf, modelChoices, usableModel, usableModels, type LiveList } from '../core/availability';
import {
  MAX_PROMPT_CHARS,
  type GenerateForm,
  type PanelPricing,
  type Prefill,
  type ReferenceImageView,
  type TaskView,
} from '../shared/protocol';
import { codicon, h, replaceChildren, setHidden } from './dom';
import { EstimateView } from './estimate';
import type { Host } from './host';
import { ReferenceImageField } from './referenceImage';
import { SizePicker } from './sizePicker';

export interface FormValues extends GenerationFields {
  /** Reference images in upload order (empty: text-to-video). */
  readonly images: readonly ReferenceImageView[];
}

/** What the form sends (and saves for a reload): its fields, and its images as the tokens the extension made. */
export function generateFormOf(values: FormValues): GenerateForm {
  return { ...fieldsOf(values), ...(values.images.length > 0 ? { imageTokens: values.images.map((i) => i.token) } : {}) };
}

type SelectElement = HTMLElementTagNameMap['vscode-single-select'];
type SelectOption = { label: string; value: string; description?: string };

/** A function, not a table: words are looked up after the page configured its language bundle. */
function prefillNote(source: Prefill['source']): string {
  switch (source) {
    case 'selection':
      return l10n.t('Prompt taken from the editor selection.');
    case 'regenerate':
      return l10n.t('Filled in from an earlier generation: change anything, then Generate.');
    case 'record':
      return l10n.t('Filled in from a saved generation record.');
  }
}

/** Shown on the image field when the request being repeated had images that are gone. */
function missingImageText(fileNames: readonly string[]): string {
  return fileNames.length === 1
    ? l10n.t('The reference image "{0}" of that request is no longer available. Choose it again to repeat the request.', fileNames[0])
    : l10n.t('The reference images {0} of that request are no longer available. Choose them again to repeat the request.', fileNames.map((n) => `"${n}"`).join(', '));
}

const IS_MAC = navigator.platform.toUpperCase().includes('MAC');

export class FormView {
  readonly element: HTMLElement;
  private values: FormValues;
  /** Until the first Generate, an empty prompt is not an error the person needs to see. */
  private promptTouched = false;
  private submitAttempted = false;
  /** Problems the extension reported for the last Generate, until their field changes. */
  private serverProblems: ValidationProblem[] = [];
  private busy = false;
  private ready = false;
  /** CometAPI's live model list for this API host, when the extension read one (PanelPricing.listedModels). */
  private listed: LiveList;

  private readonly prompt: HTMLElementTagNameMap['vscode-textarea'];
  private readonly promptCount: HTMLElement;
  private readonly model: SelectElement;
  private readonly modelNote: HTMLElement;
  private readonly seconds: SelectElement;
  private readonly resolution: SelectElement;
  private readonly sizePicker: SizePicker;
  private readonly imageField: ReferenceImageField;
  private readonly generateButton: HTMLElementTagNameMap['vscode-button'];
  /** The cost estimate next to Generate (issue 11). */
  readonly estimate: EstimateView;
  private readonly prefillNote: HTMLElement;
  /** The selected text the prompt was filled with, while the note says so. */
  private selectionPrompt: string | undefined;
  private readonly formError: HTMLElement;
  private readonly errors = new Map<DraftField, HTMLElement>();

  constructor(
    private readonly host: Host,
    initial: FormValues,
    private readonly events: { onChange(values: FormValues): void; onSubmitted(task: TaskView): void },
  ) {
    this.values = { ...initial };

    // Roomy rather than resizable: the component draws its resize grip from a data: URL, which the
    // panel's CSP (img-src only from the extension) refuses, so a resizable box would have no grip.
    this.prompt = h('vscode-textarea', {
      id: 'prompt', rows: '8', resize: 'none', placeholder: l10n.t('Describe the video: subject, action, camera, light, style…'),
      'aria-describedby': 'prompt-count prompt-error',
    });
    this.prompt.addEventListener('input', () => {
      this.promptTouched = true;
      this.update({ prompt: this.prompt.value }, 'prompt');
      // "Taken from the editor selection" stops being true once the selected text is no longer in the prompt.
      if (this.selectionPrompt !== undefined && !this.prompt.value.includes(this.selectionPrompt)) {
        this.selectionPrompt = undefined;
        setHidden(this.prefillNote, true);
      }
    });
    this.promptCount = h('span', { id: 'prompt-count', class: 'muted' });

    this.model = h('vscode-single-select', { id: 'model' });
    this.model.addEventListener('change', () => this.update({ model: this.model.value }, 'model'));
    this.modelNote = h('p', { class: 'field-note', id: 'model-note' });

    this.seconds = h('vscode-single-select', { id: 'seconds' });
    this.seconds.addEventListener('change', () => this.update({ seconds: Number(this.seconds.value) }, 'seconds'));

    this.resolution = h('vscode-single-select', { id: 'resolution' });
    this.resolution.addEventListener('change', () => this.update({ resolution: this.resolution.value }, 'resolution'));

    this.sizePicker = new SizePicker('size-label', (size) => this.update({ size }, 'size'));
    this.imageField = new ReferenceImageField(
      host,
      (images) => this.update({ images }, 'inputReference'),
      () => this.render(),
    );

    this.generateButton = h('vscode-button', { id: 'generate', icon: 'play' }, l10n.t('Generate'));
    this.generateButton.addEventListener('click', () => void this.submit().catch((e: unknown) => console.error('Seedance panel:', e)));
    this.estimate = new EstimateView(host);
    this.prefillNote = h('p', { class: 'prefill-note', id: 'prefill-note', hidden: true });
    this.formError = h('div', { class: 'form-error', id: 'form-error', role: 'alert' });

    const label = (forId: string, text: string) => h('vscode-label', { for: forId }, text);
    const error = (field: DraftField) => {
      const el = h('div', { class: 'field-error', id: `${field}-error`, role: 'alert' });
      this.errors.set(field, el);
      return el;
    };

    this.element = h(
      'section',
      { class: 'form', 'aria-labelledby': 'form-title' },
      h('h2', { id: 'form-title' }, l10n.t('New video')),
      this.prefillNote,
      h('div', { class: 'field', id: 'prompt-field' },
        h('div', { class: 'field-head' }, label('prompt', l10n.t('Prompt')), this.promptCount),
        this.prompt,
        error('prompt')),
      h('div', { class: 'field', id: 'model-field' }, label('model', l10n.t('Model')), this.model, this.modelNote, error('model')),
      h('div', { class: 'field-row' },
        h('div', { class: 'field', id: 'seconds-field' }, label('seconds', l10n.t('Duration')), this.seconds, error('seconds')),
        h('div', { class: 'field', id: 'resolution-field' }, label('resolution', l10n.t('Resolution')), this.resolution, error('resolution'))),
      h('div', { class: 'field', id: 'size-field' },
        h('div', { class: 'label', id: 'size-label' }, l10n.t('Size')),
        this.sizePicker.element,
        error('size')),
      this.imageField.element,
      h('div', { class: 'actions' },
        this.generateButton,
        h('span', { class: 'muted shortcut' }, IS_MAC ? '⌘+Enter' : 'Ctrl+Enter')),
      this.estimate.element,
      this.formError,
    );
    this.errors.set('inputReference', h('div')); // shown by the image field itself

    // Ctrl/Cmd+Enter submits from anywhere in the form (the textarea included). Caught on the way down
    // (capture) and stopped, so a focused button (Remove, Use 720p) does not also take it as its Enter.
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) {
        e.preventDefault();
        e.stopPropagation();
        void this.submit().catch((e: unknown) => console.error('Seedance panel:', e));
      }
    }, { capture: true });
    this.render();
  }

  /** Called once the extension sent `init`: the form becomes usable. */
  start(values: FormValues, prefill?: Prefill): void {
    this.ready = true;
    this.values = { ...values };
    if (prefill) this.applyPrefill(prefill);
    else this.render();
  }

  /** New prices or budget from the extension: the estimate is redrawn for the current values. */
  setPricing(pricing: PanelPricing): void {
    this.estimate.setPricing(pricing);
    const listed = liveListOf(pricing.listedModels);
    const changed = JSON.stringify([...(listed ?? [])]) !== JSON.stringify([...(this.listed ?? [])]);
    this.listed = listed;
    // What the live list offers changes the model dropdown and its checks, not only the estimate.
    if (changed) this.render();
    else this.estimate.update(this.values);
  }

  getValues(): FormValues {
    return { ...this.values };
  }

  /** Fills in the prompt and whatever settings the source knows, then flags anything the model refuses. */
  applyPrefill(prefill: Prefill): void {
    // The images go with the request they came from: set, cleared, or flagged as gone (never left over).
    const images = prefill.images !== undefined || prefill.missingImages !== undefined ? { images: prefill.images ?? [] } : {};
    this.values = { ...this.values, prompt: prefill.prompt, ...prefill.settings, ...images };
    this.promptTouched = true;
    this.serverProblems = prefill.missingImages?.length
      ? [{ field: 'inputReference', message: missingImageText(prefill.missingImages) }]
      : [];
    this.prefillNote.textContent = prefillNote(prefill.source);
    setHidden(this.prefillNote, false);
    this.selectionPrompt = prefill.source === 'selection' ? prefill.prompt.trim() : undefined;
    this.render();
    this.events.onChange(this.getValues());
    this.prompt.focus();
  }

  private update(change: Partial<FormValues>, field: DraftField): void {
    this.values = { ...this.values, ...change };
    this.serverProblems = this.serverProblems.filter((p) => p.field !== field);
    this.formError.textContent = '';
    this.render();
    this.events.onChange(this.getValues());
  }

  private problems(): ValidationProblem[] {
    const { prompt, images } = this.values;
    const facts = images.map((i) => ({ fileName: i.fileName, byteLength: i.byteLength, head: new Uint8Array(i.head) }));
    const local = validate({ ...fieldsOf(this.values), ...referencesOf(facts) }, { listed: this.listed });
    if (prompt.length > MAX_PROMPT_CHARS) {
      local.push({ field: 'prompt', message: l10n.t('The prompt is {0} characters; shorten it to at most {1}.', prompt.length, MAX_PROMPT_CHARS) });
    }
    const seen = new Set(local.map((p) => `${p.field}:${p.message}`));
    return [...local, ...this.serverProblems.filter((p) => !seen.has(`${p.field}:${p.message}`))];
  }

  private render(): void {
    const v = this.values;
    // The rules of the chosen model: an offered one, or a retired one the live list still lists.
    const model = usableModel(v.model, this.listed) ?? findModel(v.model);

    if (this.prompt.value !== v.prompt) this.prompt.value = v.prompt;
    const chars = [...v.prompt].length;
    this.promptCount.textContent = chars === 1 ? l10n.t('1 character') : l10n.t('{0} characters', chars);

    // The live list decides what is offered (CONTRACT 16): offered models, then retired ones it still lists
    // (with a warning), then known ones it does not list (unavailable; choosing one is flagged, never sent).
    setOptions(this.model, modelChoices(this.listed).flatMap((a) => {
      if (a.kind === 'offered') return [{ label: a.model.label, value: a.model.id, description: a.model.note }];
      if (a.kind === 'retiredButListed') return [{ label: l10n.t('{0} (retired {1}, still listed)', a.model.label, a.retired.date), value: a.model.id, description: a.warning }];
      if (a.kind === 'unlisted') return [{ label: l10n.t('{0} (unavailable)', a.model.label), value: a.model.id, description: a.reason }];
      return [];
    }), v.model,
      (value) => ({ label: retiredModel(value) ? l10n.t('{0} (retired)', retiredModel(value)!.label) : l10n.t('{0} (unknown model)', value), value }));
    const availability = availabilityOf(v.model, this.listed);
    replaceChildren(this.modelNote, ...(availability.kind === 'retiredButListed' ? [codicon('warning'), ' ', availability.warning] : model ? [model.note] : []));
    this.modelNote.classList.toggle('warning', availability.kind === 'retiredButListed');

    const secondsOffered = model ? secondsFor(model) : [];
    setOptions(this.seconds, secondsOffered.map((s) => ({ label: l10n.t('{0} seconds', s), value: String(s) })), String(v.seconds),
      (value) => ({ label: l10n.t('{0} seconds (not offered)', value), value }));

    const resolutions: readonly string[] = model?.resolutions ?? [];
    setOptions(this.resolution, resolutions.map((r) => ({ label: r, value: r })), v.resolution,
      (value) => ({ label: l10n.t('{0} (not offered)', value), value }));

    this.sizePicker.set(v.size, model?.sizes ?? ASPECT_RATIOS);
    this.imageField.setModel(model);
    this.imageField.setImages(v.images);

    // Before `init` the values are placeholders: nothing to flag yet.
    const problems = this.ready ? this.problems() : [];
    const byField = new Map<DraftField, string[]>();
    for (const p of problems) {
      if (p.field === 'prompt' && !this.promptTouched && !this.submitAttempted) continue;
      byField.set(p.field, [...(byField.get(p.field) ?? []), p.message]);
    }
    for (const [field, el] of this.errors) {
      if (field === 'inputReference') continue;
      const messages = byField.get(field) ?? [];
      replaceChildren(el, ...messages.map((m) => h('p', {}, codicon('error'), ' ', m)));
      const fix = model || field === 'model' ? this.fixFor(field) : undefined;
      if (fix && messages.length > 0) el.appendChild(fix);
    }
    this.imageField.showProblems(byField.get('inputReference') ?? []);
    this.prompt.invalid = byField.has('prompt');
    this.model.invalid = byField.has('model');
    this.seconds.invalid = byField.has('seconds');
    this.resolution.invalid = byField.has('resolution');
    this.sizePicker.setInvalid(byField.has('size'), 'size-error');

    this.estimate.update(v);
    this.generateButton.disabled = !this.ready || this.busy;
    // Looks disabled while something must change first, yet stays clickable (a class, not `disabled`): a
    // click, or Ctrl+Enter, says what is missing and moves to it. The problems are next to their fields.
    this.generateButton.classList.toggle('blocked', this.ready && !this.busy && problems.length > 0);
    this.generateButton.toggleAttribute('icon-spin', this.busy);
    this.generateButton.setAttribute('icon', this.busy ? 'loading' : 'play');
  }

  /** A button that applies catalog.fitToModel to a flagged setting: the adjustment, in plain sight. */
  private fixFor(field: DraftField): HTMLElement | undefined {
    // A retired model (e.g. from an old record): one click switches to the replacement CometAPI names; a model
    // the live list does not list: to the first one it does.
    const usable = usableModels(this.listed);
    const replacement = field === 'model'
      ? replacementsOf(this.values.model).find((r) => usable.includes(r)) ?? (availabilityOf(this.values.model, this.listed).kind === 'unlisted' ? usable[0] : undefined)
      : undefined;
    if (replacement) {
      const button = h('vscode-button', { secondary: true, class: 'fix-button', id: 'fix-model' }, l10n.t('Use {0}', replacement.label));
      button.addEventListener('click', () => {
        this.update({ model: replacement.id }, 'model');
        this.model.focus();
      });
      return button;
    }
    const model = usableModel(this.values.model, this.listed);
    if (!model || (field !== 'seconds' && field !== 'resolution' && field !== 'size')) return undefined;
    const fitted = fitToModel(model, this.values);
    const value = fitted[field];
    if (String(value) === String(this.values[field])) return undefined;
    const text = field === 'seconds' ? l10n.t('Use {0} seconds', value) : l10n.t('Use {0}', value);
    const button = h('vscode-button', { secondary: true, class: 'fix-button', id: `fix-${field}` }, text);
    button.addEventListener('click', () => {
      this.update({ [field]: value }, field);
      (field === 'size' ? this.sizePicker.element : this[field]).focus();
    });
    return button;
  }

  /**
   * The form as it is on screen, read once when Generate is pressed: the prompt straight from the text box
   * (what the person sees), the rest from what the controls reported. Our copy of the prompt follows every
   * input event, so the two agree; should they ever not, the box wins and is never written to.
   */
  private readForm(): FormValues {
    const shown = this.prompt.wrappedElement?.value ?? this.prompt.value;
    if (shown !== this.values.prompt) {
      this.values = { ...this.values, prompt: shown };
      this.events.onChange(this.getValues());
    }
    return this.getValues();
  }

  private async submit(): Promise<void> {
    if (!this.ready || this.busy) return;
    // One read: the checks below and the request are built from this snapshot and nothing else.
    const values = this.readForm();
    this.submitAttempted = true;
    this.render();
    const problems = this.problems();
    if (problems.length > 0) {
      this.formError.textContent = problems.length === 1 ? l10n.t('Fix the problem above, then Generate.') : l10n.t('Fix the {0} problems above, then Generate.', problems.length);
      this.focusFirstProblem(problems);
      return;
    }
    const form = generateFormOf(values);
    this.busy = true;
    this.formError.textContent = '';
    this.render();
    try {
      const reply = await this.host.request<'generate'>({ type: 'generate', form });
      if (reply.ok) {
        setHidden(this.prefillNote, true);
        this.events.onSubmitted(reply.result.task);
        return;
      }
      this.serverProblems = [...(reply.error.problems ?? [])];
      this.formError.textContent = reply.error.message;
      if (this.serverProblems.length > 0) this.focusFirstProblem(this.serverProblems);
    } finally {
      this.busy = false;
      this.render();
    }
  }

  private focusFirstProblem(problems: readonly ValidationProblem[]): void {
    const order: DraftField[] = ['prompt', 'model', 'seconds', 'resolution', 'size', 'inputReference'];
    const first = order.find((f) => problems.some((p) => p.field === f));
    const target: HTMLElement | undefined = {
      prompt: this.prompt,
      model: this.model,
      seconds: this.seconds,
      resolution: this.resolution,
      size: this.sizePicker.element.querySelector<HTMLElement>('[tabindex="0"]') ?? undefined,
      inputReference: this.imageField.focusTarget(),
    }[first ?? 'prompt'];
    target?.focus();
  }
}

/**
 * Gives a select exactly `offered`, plus the current value when it is not among them (labelled by
 * `stale`), so a value the model refuses stays visible until the person changes it.
 */
function setOptions(select: SelectElement, offered: SelectOption[], current: string, stale: (value: string) => SelectOption): void {
  const options = offered.some((o) => o.value === current) || current === '' ? offered : [...offered, stale(current)];
  const signature = JSON.stringify(options);
  if (select.dataset.options !== signature) {
    select.dataset.options = signature;
    select.options = options.map((o) => ({ label: o.label, value: o.value, description: o.description ?? '', selected: o.value === current, disabled: false }));
  }
  if (select.value !== current) select.value = current;
  select.requestUpdate();
}
