// What the storyboard preview shows, built from a snapshot: every shot in order with its settings, cost,
// problems, the frame a continuation starts from, and its takes (the chosen one marked). Pure apart from
// checking which frame files exist.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findModel } from '../../core/catalog';
import { shotKey } from '../../core/storyboard/parse';
import type { StoryboardRuns } from '../../core/storyboard/runRegistry';
import { chosenTake, isPlayable, isStale, lastFramePath, type Take } from '../../core/storyboard/takes';
import { isRunning } from '../../core/tasks/task';
import type { ShotView, StoryboardView, TakeView } from '../../shared/storyboardProtocol';
import { takeState } from './codeLens';
import { formatCost, formatTotal, shotEstimate, type ShotPricer } from './pricing';
import type { StoryboardSnapshot } from './storyboardService';

/** The page's picture of the storyboard. */
export function buildView(
  snap: StoryboardSnapshot,
  pricer: ShotPricer,
  toUri: (file: string) => string,
  focusShot?: string,
  runs?: StoryboardRuns<unknown>,
): StoryboardView {
  const shots = snap.resolved.shots;
  const views: ShotView[] = shots.map((s, i) => {
    const takes = s.shot.id ? snap.takes.get(s.shot.id) ?? [] : [];
    const chosenName = stringValue(s.shot.settings.take?.value);
    const chosen = chosenTake(takes, chosenName);
    const prev = i > 0 ? shots[i - 1].shot : undefined;
    const prevTake = prev?.id ? chosenTake(snap.takes.get(prev.id), stringValue(prev.settings.take?.value)) : undefined;
    const startFrame = s.continues && prevTake?.videoFile ? lastFramePath(prevTake.videoFile) : undefined;
    const model = findModel(s.model);
    const waitsFor = runs?.waitingFor(snap.uri.toString(), shotKey(s.shot));
    const waitsForIndex = waitsFor !== undefined ? shots.findIndex((x) => shotKey(x.shot) === waitsFor) : -1;
    const staleWords = s.continues && prevTake ? vscode.l10n.t('Stale: made from an earlier take of shot {0}', i) : undefined;
    return {
      key: shotKey(s.shot),
      number: i + 1,
      title: s.shot.title || vscode.l10n.t('(untitled shot)'),
      prompt: s.shot.prompt,
      summary: [vscode.l10n.t('{0} s', s.seconds), s.size, s.resolution, model?.label ?? s.model, ...(s.continues ? [vscode.l10n.t('continues')] : [])].join(' · '),
      cost: formatCost(shotEstimate(pricer, s)),
      problems: s.errors.map((e) => e.message),
      continues: s.continues,
      ...(startFrame && existsSync(startFrame) ? { startFrameUri: toUri(startFrame) } : {}),
      takes: takes.map((t, n) => ({
        ...takeView(t, n, chosen, toUri),
        ...(staleWords && isStale(t, prevTake) ? { stale: staleWords } : {}),
      })),
      ...(waitsForIndex >= 0 ? { waiting: vscode.l10n.t('Waiting for shot {0}', waitsForIndex + 1) } : {}),
    };
  });
  const fileName = path.basename(snap.uri.fsPath);
  return {
    documentUri: snap.uri.toString(),
    title: snap.resolved.title ?? fileName,
    fileName,
    total: formatTotal(shots.map((s) => shotEstimate(pricer, s))),
    shots: views,
    ...(focusShot ? { focusShot } : {}),
  };
}

function takeView(take: Take, index: number, chosen: Take | undefined, toUri: (file: string) => string): TakeView {
  const frame = take.videoFile ? lastFramePath(take.videoFile) : undefined;
  const playable = isPlayable(take);
  const when = takeTime(take.createdAt, Date.now());
  return {
    key: take.key,
    label: take.seconds ? vscode.l10n.t('Take {0} · {1} · {2} s', index + 1, when, take.seconds) : vscode.l10n.t('Take {0} · {1}', index + 1, when),
    state: stateWords(take),
    busy: isRunning(take) || take.downloading === true,
    progress: take.progress,
    playable,
    chosen: chosen !== undefined && chosen.key === take.key,
    ...(playable && take.videoFile ? { videoUri: toUri(take.videoFile) } : {}),
    ...(frame && existsSync(frame) ? { frameUri: toUri(frame) } : {}),
    ...(playable && take.localId !== undefined ? { promotable: true } : {}),
  };
}

/** When a take was made, in words that cannot be read as a duration: "today 00:05", "yesterday 18:20", "Nov 30, 18:20". */
export function takeTime(at: number, now: number, locale = vscode.env.language): string {
  const date = new Date(at);
  let time: string;
  let day: string;
  try {
    time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
    day = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' }).format(date);
  } catch {
    time = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
    day = date.toDateString();
  }
  const startOfDay = (ms: number) => new Date(new Date(ms).getFullYear(), new Date(ms).getMonth(), new Date(ms).getDate()).getTime();
  const days = Math.round((startOfDay(now) - startOfDay(at)) / 86_400_000);
  if (days === 0) return vscode.l10n.t('today {0}', time);
  if (days === 1) return vscode.l10n.t('yesterday {0}', time);
  return vscode.l10n.t('{0}, {1}', day, time);
}

export function stringValue(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}


/** The take's state for the preview: the CodeLens words without their icons or the click hint. */
function stateWords(take: Take): string {
  const state = takeState(take);
  return state.plain ?? state.text.replace(/\$\([^)]*\)\s*/g, '');
}
