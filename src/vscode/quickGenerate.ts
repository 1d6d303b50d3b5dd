// The quick-input way to describe a generation: a step-by-step flow (prompt, model, duration, aspect
// ratio, resolution, reference image) that only offers values the chosen model accepts, and the
// confirmation shown before a paid request, where each value can still be changed.
import * as vscode from 'vscode';
import {
  MODELS, acceptsReferenceImage, findModel, fitToModel, modelLabel, secondsFor, type ModelInfo,
} from '../core/catalog';
import type { GenerationDefaults } from '../core/generationArgs';
import type { Editable, GenerationFields, GenerationSettings } from '../core/generationRequest';
import { modelChoices, usableModel } from '../core/availability';
import { describeDestination } from './destination';
import type { PriceLabels } from './pricing/priceLabels';
import type { SeedanceSettings } from './settings';

/**
 * What the flow produces: the argument object `seedance.generate` accepts (GenerateArgs), with every field filled
 * and at most one reference image (a path); set field by field as the person steps through.
 */
export type GenerationChoice = Editable<GenerationFields> & { inputReference?: string };

const BACK = Symbol('back');
type Back = typeof BACK;

interface Option<T> extends vscode.QuickPickItem {
  readonly value: T;
}

/** One quick pick step; resolves to the picked value or BACK, throws CancellationError on Escape. */
function pickOne<T>(
  title: string,
  items: readonly Option<T>[],
  options: { step?: number; totalSteps?: number; active?: T; canGoBack?: boolean; placeholder?: string } = {},
): Promise<T | Back> {
  return new Promise((resolve, reject) => {
    const qp = vscode.window.createQuickPick<Option<T>>();
    qp.title = title;
    qp.step = options.step;
    qp.totalSteps = options.totalSteps;
    qp.placeholder = options.placeholder;
    qp.items = items;
    qp.ignoreFocusOut = true;
    const active = items.find((i) => i.value === options.active);
    if (active) qp.activeItems = [active];
    qp.buttons = options.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      qp.dispose();
    };
    qp.onDidTriggerButton((b) => {
      if (b === vscode.QuickInputButtons.Back) finish(() => resolve(BACK));
    });
    qp.onDidAccept(() => {
      const picked = qp.selectedItems[0] ?? qp.activeItems[0];
      if (picked) finish(() => resolve(picked.value));
    });
    qp.onDidHide(() => finish(() => reject(new vscode.CancellationError())));
    qp.show();
  });
}

function askPrompt(value: string, step?: number, totalSteps?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const box = vscode.window.createInputBox();
    box.title = vscode.l10n.t('Generate Video: Prompt');
    box.step = step;
    box.totalSteps = totalSteps;
    box.value = value;
    box.ignoreFocusOut = true;
    box.placeholder = vscode.l10n.t('Describe the shot: subject, action, camera, light, style');
    box.prompt = vscode.l10n.t('The text Seedance turns into a video.');
    let settled = false;
    box.onDidChangeValue((v) => {
      box.validationMessage = v.trim() === '' ? vscode.l10n.t('Write a prompt that describes the video.') : undefined;
    });
    box.onDidAccept(() => {
      if (box.value.trim() === '') {
        box.validationMessage = vscode.l10n.t('Write a prompt that describes the video.');
        return;
      }
      settled = true;
      resolve(box.value.trim());
      box.dispose();
    });
    box.onDidHide(() => {
      if (!settled) reject(new vscode.CancellationError());
      box.dispose();
    });
    box.show();
  });
}

/** `at`: the duration and resolution to price each model at (fitted to it), when prices are wired. */
function modelItems(current: string, price?: PriceLabels, at?: Pick<GenerationSettings, 'seconds' | 'resolution'>): Option<string>[] {
  // The live model list decides (availability.ts): offered models, then retired ones it still lists (with
  // the announced date as a warning), then known ones it does not list, shown unavailable with the reason.
  return modelChoices(price?.listed?.()).flatMap((a) => {
    if (a.kind === 'unknown' || a.kind === 'retired') return [];
    const m = a.model;
    const rules = `${m.note} · ${m.minSeconds}-${m.maxSeconds} s · ${m.resolutions.join('/')}`
      + (price && at ? ` · ${price.short({ model: m.id, ...fitToModel(m, { ...at, size: m.sizes[0] }) })}` : '');
    return [{
      label: a.kind === 'unlisted' ? `$(circle-slash) ${m.label}` : a.kind === 'retiredButListed' ? `$(warning) ${m.label}` : m.label,
      description: m.id === current ? `${m.id} ${vscode.l10n.t('(current)')}` : m.id,
      detail: a.kind === 'unlisted' ? a.reason : a.kind === 'retiredButListed' ? `${a.warning} · ${rules}` : rules,
      value: m.id,
    }];
  });
}

function secondsItems(model: ModelInfo, price?: PriceLabels, resolution?: string): Option<number>[] {
  return secondsFor(model).map((s) => ({
    label: vscode.l10n.t('{0} seconds', s),
    ...(price && resolution ? { description: price.short({ model: model.id, seconds: s, resolution }) } : {}),
    value: s,
  }));
}

function sizeItems(model: ModelInfo): Option<string>[] {
  const notes: Record<string, string> = {
    '21:9': vscode.l10n.t('ultra-wide'), '16:9': vscode.l10n.t('landscape'), '4:3': vscode.l10n.t('classic'),
    '1:1': vscode.l10n.t('square'), '3:4': vscode.l10n.t('portrait'), '9:16': vscode.l10n.t('vertical, for phones'),
  };
  return model.sizes.map((s) => ({ label: s, description: notes[s], value: s }));
}

function resolutionItems(model: ModelInfo, price?: PriceLabels, seconds?: number): Option<string>[] {
  return model.resolutions.map((r) => ({
    label: r,
    ...(price && seconds ? { description: price.short({ model: model.id, seconds, resolution: r }) } : {}),
    value: r,
  }));
}

async function pickImage(
  current: string | undefined,
  step?: number,
  totalSteps?: number,
  canGoBack = false,
): Promise<string | undefined | Back> {
  const none: Option<'none'> = { label: vscode.l10n.t('$(circle-slash) No reference image'), description: vscode.l10n.t('text to video'), value: 'none' };
  const choose: Option<'choose'> = { label: vscode.l10n.t('$(file-media) Choose an image…'), description: vscode.l10n.t('JPEG, PNG or WebP, up to 30 MB'), value: 'choose' };
  const keep: Option<'keep'>[] = current ? [{ label: vscode.l10n.t('$(check) Keep {0}', current.split(/[\\/]/).pop() ?? current), value: 'keep' }] : [];
  const picked = await pickOne<'none' | 'choose' | 'keep'>(vscode.l10n.t('Generate Video: Reference Image'), [...keep, none, choose], {
    step, totalSteps, canGoBack, active: current ? 'keep' : 'none',
  });
  if (picked === BACK) return BACK;
  if (picked === 'none') return undefined;
  if (picked === 'keep') return current;
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: vscode.l10n.t('Use as Reference'),
    filters: { [vscode.l10n.t('Images')]: ['jpg', 'jpeg', 'png', 'webp'] },
  });
  if (!files?.[0]) throw new vscode.CancellationError();
  return files[0].fsPath;
}

/**
 * The full step-by-step flow. Each step offers only what the model chosen so far accepts; Back goes to
 * the previous step; Escape cancels (CancellationError).
 */
export async function runQuickGenerate(
  initial: { prompt?: string },
  defaults: GenerationDefaults,
  price?: PriceLabels,
): Promise<GenerationChoice> {
  const startModel = findModel(defaults.model) ?? MODELS[0];
  const fitted = fitToModel(startModel, defaults);
  const state: GenerationChoice = { prompt: initial.prompt ?? '', model: startModel.id, ...fitted };
  let step = 0;
  for (;;) {
    const model = usableModel(state.model, price?.listed?.()) ?? findModel(state.model) ?? MODELS[0];
    const total = acceptsReferenceImage(model) ? 6 : 5;
    if (step >= total) break;
    const back = step > 0;
    let result: unknown;
    switch (step) {
      case 0:
        state.prompt = await askPrompt(state.prompt, 1, total);
        result = state.prompt;
        break;
      case 1:
        result = await pickOne(vscode.l10n.t('Generate Video: Model'), modelItems(state.model, price, state), { step: 2, totalSteps: total, active: state.model, canGoBack: back });
        if (result !== BACK) {
          const next = usableModel(result as string, price?.listed?.()) ?? findModel(result as string) ?? model;
          Object.assign(state, { model: next.id }, fitToModel(next, state));
          if (!acceptsReferenceImage(next)) delete state.inputReference;
        }
        break;
      case 2:
        result = await pickOne(vscode.l10n.t('Generate Video: Duration'), secondsItems(model, price, state.resolution), { step: 3, totalSteps: total, active: state.seconds, canGoBack: back });
        if (result !== BACK) state.seconds = result as number;
        break;
      case 3:
        result = await pickOne(vscode.l10n.t('Generate Video: Aspect Ratio'), sizeItems(model), { step: 4, totalSteps: total, active: state.size, canGoBack: back });
        if (result !== BACK) state.size = result as string;
        break;
      case 4:
        result = await pickOne(vscode.l10n.t('Generate Video: Resolution'), resolutionItems(model, price, state.seconds), { step: 5, totalSteps: total, active: state.resolution, canGoBack: back });
        if (result !== BACK) state.resolution = result as string;
        break;
      case 5:
        result = await pickImage(state.inputReference, 6, total, back);
        if (result !== BACK) {
          if (result === undefined) delete state.inputReference;
          else state.inputReference = result as string;
        }
        break;
    }
    step = result === BACK ? step - 1 : step + 1;
  }
  return state;
}

function summary(choice: GenerationChoice): string {
  const parts = [modelLabel(choice.model), vscode.l10n.t('{0} s', choice.seconds), choice.size, choice.resolution];
  if (choice.inputReference) parts.push(choice.inputReference.split(/[\\/]/).pop() ?? '');
  return parts.join(' · ');
}

/** The selection's review (a quick pick where each value can be changed), when seedance.confirmBeforeSubmit is on. */
export async function confirmIfWanted(choice: GenerationChoice, settings: Pick<SeedanceSettings, 'confirmBeforeSubmit' | 'apiBase'>, price?: PriceLabels): Promise<GenerationChoice> {
  if (!settings.confirmBeforeSubmit()) return choice;
  return confirmGeneration(choice, price, describeDestination(settings));
}

/**
 * The last stop before a paid request: shows model, duration, aspect ratio and resolution, and lets each
 * be changed. Resolves to the (possibly changed) choice; throws CancellationError when dismissed.
 */
export async function confirmGeneration(initial: GenerationChoice, price?: PriceLabels, destination?: string): Promise<GenerationChoice> {
  const choice: GenerationChoice = { ...initial };
  type Action = 'go' | 'model' | 'seconds' | 'size' | 'resolution' | 'image' | 'prompt';
  for (;;) {
    const model = usableModel(choice.model, price?.listed?.()) ?? findModel(choice.model) ?? MODELS[0];
    const items: Option<Action>[] = [
      {
        label: vscode.l10n.t('$(play) Generate'),
        description: summary(choice),
        // The estimate first: a quick pick cuts a long detail line at its end, and the cost must stay in view.
        detail: [price?.estimate(choice), destination ?? vscode.l10n.t('Sends a paid request to CometAPI.')].filter(Boolean).join(' · '),
        value: 'go',
      },
      { label: '', kind: vscode.QuickPickItemKind.Separator, value: 'go' },
      { label: vscode.l10n.t('$(edit) Prompt'), description: choice.prompt.replace(/\s+/g, ' ').slice(0, 80), value: 'prompt' },
      { label: vscode.l10n.t('$(symbol-misc) Model'), description: `${model.label} (${model.id})`, value: 'model' },
      { label: vscode.l10n.t('$(clock) Duration'), description: vscode.l10n.t('{0} seconds', choice.seconds), value: 'seconds' },
      { label: vscode.l10n.t('$(screen-full) Aspect ratio'), description: choice.size, value: 'size' },
      { label: vscode.l10n.t('$(device-camera-video) Resolution'), description: choice.resolution, value: 'resolution' },
    ];
    if (acceptsReferenceImage(model)) {
      items.push({ label: vscode.l10n.t('$(file-media) Reference image'), description: choice.inputReference ?? vscode.l10n.t('none'), value: 'image' });
    }
    const action = await pickOne(vscode.l10n.t('Generate this video?'), items, { placeholder: vscode.l10n.t('Pick Generate to send, or a value to change it') });
    if (action === BACK) continue;
    try {
      await changeValue(action, choice, model, price);
    } catch (error) {
      // Escape in a value picker goes back to the confirmation, not out of it.
      if (!(error instanceof vscode.CancellationError)) throw error;
    }
    if (action === 'go') return choice;
  }
}

/** Asks for a new value of one field of the confirmation. */
async function changeValue(action: string, choice: GenerationChoice, model: ModelInfo, price?: PriceLabels): Promise<void> {
  switch (action) {
    case 'go':
      return;
    case 'prompt':
      choice.prompt = await askPrompt(choice.prompt);
      break;
    case 'model': {
      const picked = await pickOne(vscode.l10n.t('Model'), modelItems(choice.model, price, choice), { active: choice.model });
      const next = picked === BACK ? model : usableModel(picked, price?.listed?.()) ?? findModel(picked) ?? model;
      Object.assign(choice, { model: next.id }, fitToModel(next, choice));
      if (!acceptsReferenceImage(next)) delete choice.inputReference;
      break;
    }
    case 'seconds': {
      const picked = await pickOne(vscode.l10n.t('Duration'), secondsItems(model, price, choice.resolution), { active: choice.seconds });
      if (picked !== BACK) choice.seconds = picked;
      break;
    }
    case 'size': {
      const picked = await pickOne(vscode.l10n.t('Aspect ratio'), sizeItems(model), { active: choice.size });
      if (picked !== BACK) choice.size = picked;
      break;
    }
    case 'resolution': {
      const picked = await pickOne(vscode.l10n.t('Resolution'), resolutionItems(model, price, choice.seconds), { active: choice.resolution });
      if (picked !== BACK) choice.resolution = picked;
      break;
    }
    case 'image': {
      const picked = await pickImage(choice.inputReference);
      if (picked !== BACK) {
        if (picked === undefined) delete choice.inputReference;
        else choice.inputReference = picked;
      }
      break;
    }
  }
}
