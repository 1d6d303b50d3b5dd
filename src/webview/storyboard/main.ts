// The storyboard preview's browser code: renders the extension's `state` (every shot in order, its takes
// side by side, the chosen one marked), sends choices and re-rolls, plays the chosen takes back to back
// (Play All) with each shot's title, and captures last frames on request. Plain DOM and native buttons:
// every control is reachable with Tab and works with Enter/Space; Escape stops Play All. Words come from
// @vscode/l10n (the extension's bundle for VS Code's language, embedded in the page), counts from Intl.
import '../l10nSetup'; // first: configures the strings before any module builds text
import * as l10n from '@vscode/l10n';
import type { ShotView, StoryboardView, TakeView, ToWebview, FromWebview, FilmFromWebview, FilmToWebview } from '../../shared/storyboardProtocol';
import { captureLastFrame } from './capture';
import { afterRender, receiveFilm, setupFilm } from './film';
import { keepFocus } from '../keepFocus';
import { formatCount } from '../locale';

interface VsCodeApi {
  postMessage(message: FromWebview | FilmFromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('app')!;
let view: StoryboardView | undefined;

type Attrs = Record<string, string | boolean | number | undefined>;
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Node | string | undefined | false>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== undefined && c !== false) el.append(c);
  return el;
}

function button(label: string, attrs: Attrs, onClick: () => void, icon?: string): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, icon ? h('span', { class: `codicon codicon-${icon}`, 'aria-hidden': 'true' }) : undefined, label);
  b.addEventListener('click', onClick);
  return b;
}

// ---- rendering ---------------------------------------------------------------------------------------------

function render(next: StoryboardView): void {
  keepFocus(() => rebuild(next));
  afterRender();
}

function rebuild(next: StoryboardView): void {
  // Videos that are playing keep playing: a shot's card is rebuilt only when what it shows changed.
  const previous = view;
  view = next;
  vscode.setState({ uri: next.documentUri });
  const header = document.getElementById('header');
  const newHeader = renderHeader(next);
  if (header) header.replaceWith(newHeader);
  else root.replaceChildren(newHeader, renderPlayer(), h('ol', { id: 'shots', class: 'shots' }));
  const list = document.getElementById('shots')!;
  const old = new Map<string, Element>();
  for (const el of Array.from(list.children)) old.set(el.getAttribute('data-shot') ?? '', el);
  const previousByKey = new Map((previous?.shots ?? []).map((s) => [s.key, JSON.stringify(s)]));
  const items = next.shots.map((shot) => {
    const same = old.get(shot.key);
    if (same && previousByKey.get(shot.key) === JSON.stringify(shot)) return same;
    return renderShot(shot);
  });
  list.replaceChildren(...items);
  if (next.shots.length === 0) list.replaceChildren(h('li', { class: 'empty' }, l10n.t('This storyboard has no shots yet: start one with a "## " heading.')));
  if (next.focusShot) {
    const target = list.querySelector(`[data-shot="${CSS.escape(next.focusShot)}"]`) as HTMLElement | null;
    target?.scrollIntoView({ block: 'start' });
    target?.focus();
  }
}

function renderHeader(v: StoryboardView): HTMLElement {
  const playable = chosenClips(v).length;
  return h('header', { id: 'header', class: 'header' },
    h('div', { class: 'titles' },
      h('h1', {}, v.title),
      h('p', { class: 'meta' }, v.shots.length === 1
        ? l10n.t('{0} · 1 shot · {1}', v.fileName, v.total)
        : l10n.t('{0} · {1} shots · {2}', v.fileName, formatCount(v.shots.length), v.total))),
    h('div', { class: 'actions' },
      button(l10n.t('Play All'), { id: 'play-all', class: 'primary', disabled: playable === 0, title: playAllTitle(playable) }, () => playAll(), 'play'),
      button(l10n.t('Generate All'), { id: 'generate-all', class: 'secondary' }, () => vscode.postMessage({ type: 'generateAll' }), 'run-all')));
}

function playAllTitle(playable: number): string {
  if (playable === 0) return l10n.t('No shot has a chosen take to play yet');
  return playable === 1 ? l10n.t('Play the chosen take') : l10n.t('Play the {0} chosen takes back to back', formatCount(playable));
}

function renderShot(shot: ShotView): HTMLElement {
  const headingId = `shot-${shot.number}-title`;
  const hasTakes = shot.takes.length > 0;
  return h('li', { class: 'shot', 'data-shot': shot.key, 'data-focus': `shot:${shot.key}`, tabindex: '-1', 'aria-labelledby': headingId },
    h('div', { class: 'shot-head' },
      h('h2', { id: headingId }, h('span', { class: 'number' }, `${shot.number}`), shot.title),
      h('div', { class: 'shot-actions' },
        // A shot waiting in Generate All is on its way: not offered (and paid for) a second time.
        shot.waiting
          ? button(l10n.t('Waiting'), { class: 'secondary reroll', 'data-action': 'reroll', 'data-focus': `reroll:${shot.key}`, title: shot.waiting, disabled: true }, () => undefined, 'watch')
          : button(hasTakes ? l10n.t('Re-roll') : l10n.t('Generate'), { class: 'secondary reroll', 'data-action': 'reroll', 'data-focus': `reroll:${shot.key}`, title: hasTakes ? l10n.t('Generate another take ({0})', shot.cost) : l10n.t('Generate this shot ({0})', shot.cost), disabled: shot.problems.length > 0 }, () => vscode.postMessage({ type: 'reroll', shot: shot.key }), hasTakes ? 'refresh' : 'play'),
        h('span', { class: 'cost' }, shot.cost))),
    h('p', { class: 'summary' }, shot.summary),
    shot.problems.length > 0 ? h('ul', { class: 'problems', role: 'list' }, ...shot.problems.map((p) => h('li', {}, h('span', { class: 'codicon codicon-warning', 'aria-hidden': 'true' }), p))) : undefined,
    h('p', { class: 'prompt' }, shot.prompt || l10n.t('(no prompt yet)')),
    shot.continues ? renderStartFrame(shot) : undefined,
    shot.waiting ? h('p', { class: 'waiting', 'data-waiting': 'true' }, h('span', { class: 'codicon codicon-watch', 'aria-hidden': 'true' }), shot.waiting) : undefined,
    hasTakes
      ? h('div', { class: 'takes', role: 'list', 'aria-label': l10n.t('Takes of {0}', shot.title) }, ...shot.takes.map((t) => renderTake(shot, t)))
      : shot.waiting ? undefined : h('p', { class: 'no-takes' }, l10n.t('No takes yet.')));
}

function renderStartFrame(shot: ShotView): HTMLElement {
  return h('figure', { class: 'start-frame' },
    shot.startFrameUri
      ? h('img', { src: shot.startFrameUri, alt: l10n.t('The last frame of the previous shot, which this shot starts from') })
      : h('div', { class: 'frame-placeholder' }, l10n.t('The previous shot\'s last frame appears here once its take is ready.')),
    h('figcaption', {}, l10n.t('Starts from the previous shot\'s last frame (sent as the reference image).')));
}

function renderTake(shot: ShotView, take: TakeView): HTMLElement {
  const media = take.playable && take.videoUri
    ? h('video', { src: take.videoUri, 'data-focus': `video:${take.key}`, controls: true, preload: 'metadata', muted: true, 'aria-label': `${shot.title}, ${take.label}` })
    : h('div', { class: `placeholder${take.busy ? ' busy' : ''}` },
      take.busy ? h('span', { class: 'codicon codicon-loading codicon-modifier-spin', 'aria-hidden': 'true' }) : undefined,
      h('span', {}, take.state));
  if (media instanceof HTMLVideoElement) media.muted = true;
  const card = h('div', { class: `take${take.chosen ? ' chosen' : ''}${take.stale ? ' stale' : ''}`, role: 'listitem', 'data-take': take.key, 'data-chosen': take.chosen ? 'true' : 'false', 'data-stale': take.stale ? 'true' : undefined },
    media,
    take.stale
      ? h('div', { class: 'stale-note', role: 'note' },
        h('span', { class: 'codicon codicon-warning', 'aria-hidden': 'true' }),
        h('span', {}, take.stale),
        button(l10n.t('Re-roll'), { class: 'secondary reroll-stale', 'data-focus': `reroll-stale:${take.key}`, title: l10n.t('Generate this shot again from the current last frame ({0})', shot.cost) }, () => vscode.postMessage({ type: 'reroll', shot: shot.key }), 'refresh'))
      : undefined,
    h('div', { class: 'take-foot' },
      h('span', { class: 'take-label' }, take.label, take.playable ? '' : ` · ${take.state}`),
      take.playable
        ? button(take.chosen ? l10n.t('Chosen') : l10n.t('Choose'), { class: take.chosen ? 'primary choose' : 'secondary choose', 'data-focus': `choose:${take.key}`, 'aria-pressed': take.chosen ? 'true' : 'false', title: l10n.t('Use this take for "{0}" in the film', shot.title) }, () => {
          if (!take.chosen) vscode.postMessage({ type: 'choose', shot: shot.key, take: take.key });
        }, take.chosen ? 'check' : undefined)
        : undefined,
      // Draft, then final (issue 19): the same prompt and images at a higher resolution or on another model.
      take.promotable
        ? button(l10n.t('Promote…'), { class: 'secondary promote', 'data-focus': `promote:${take.key}`, title: l10n.t('Generate this take again at a higher resolution or on another model') }, () => vscode.postMessage({ type: 'promote', shot: shot.key, take: take.key }), 'arrow-up')
        : undefined));
  return card;
}

// ---- Play All ----------------------------------------------------------------------------------------------

interface Clip { readonly number: number; readonly title: string; readonly uri: string }

function chosenClips(v: StoryboardView): Clip[] {
  const clips: Clip[] = [];
  for (const s of v.shots) {
    const take = s.takes.find((t) => t.chosen && t.playable && t.videoUri);
    if (take?.videoUri) clips.push({ number: s.number, title: s.title, uri: take.videoUri });
  }
  return clips;
}

function renderPlayer(): HTMLElement {
  const video = h('video', { id: 'player', preload: 'auto', 'aria-label': l10n.t('Play All') });
  video.muted = true;
  const section = h('section', { id: 'player-section', class: 'player', hidden: true, 'aria-label': l10n.t('Play All') },
    h('div', { class: 'screen' }, video, h('div', { id: 'player-title', class: 'player-title', 'aria-live': 'polite' })),
    h('div', { class: 'player-bar' },
      h('span', { id: 'player-position', class: 'position' }),
      button(l10n.t('Stop'), { id: 'player-stop', class: 'secondary' }, () => stopPlaying(), 'debug-stop')));
  return section;
}

let playing: { clips: Clip[]; index: number } | undefined;
let titleTimer: ReturnType<typeof setTimeout> | undefined;

function playAll(): void {
  if (!view) return;
  const clips = chosenClips(view);
  if (clips.length === 0) return;
  playing = { clips, index: 0 };
  delete document.body.dataset.finished;
  document.getElementById('player-section')!.hidden = false;
  document.body.dataset.playing = 'true';
  playClip();
  (document.getElementById('player-stop') as HTMLButtonElement).focus();
}

function playClip(): void {
  if (!playing) return;
  const clip = playing.clips[playing.index];
  const video = document.getElementById('player') as HTMLVideoElement;
  const title = document.getElementById('player-title')!;
  video.src = clip.uri;
  title.textContent = `${clip.number}. ${clip.title}`;
  title.classList.add('show');
  if (titleTimer) clearTimeout(titleTimer);
  titleTimer = setTimeout(() => title.classList.remove('show'), 2500);
  document.getElementById('player-position')!.textContent = l10n.t('Shot {0} of {1}', formatCount(playing.index + 1), formatCount(playing.clips.length));
  document.body.dataset.clip = String(playing.index);
  void video.play().catch(() => undefined);
}

function stopPlaying(): void {
  playing = undefined;
  const video = document.getElementById('player') as HTMLVideoElement | null;
  video?.pause();
  const section = document.getElementById('player-section');
  if (section) section.hidden = true;
  delete document.body.dataset.playing;
  delete document.body.dataset.clip;
  // Back on Play All, unless the person went elsewhere while it played (focus() here would take it back).
  if (document.hasFocus()) (document.getElementById('play-all') as HTMLButtonElement | null)?.focus();
}

/** The next clip, or the end of Play All after the last one (it stops by itself, focus back on Play All). */
function nextClip(): void {
  if (!playing) return;
  playing.index++;
  if (playing.index >= playing.clips.length) {
    document.body.dataset.finished = 'true';
    stopPlaying();
  } else {
    playClip();
  }
}

document.addEventListener('ended', (e) => {
  if ((e.target as HTMLElement).id !== 'player' || !playing) return;
  nextClip();
}, true);

// A take that cannot be played (deleted, not pulled yet) is skipped instead of stopping the film there forever.
document.addEventListener('error', (e) => {
  if ((e.target as HTMLElement).id !== 'player' || !playing) return;
  nextClip();
}, true);

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && playing) {
    e.preventDefault();
    stopPlaying();
  }
});

// ---- messages ----------------------------------------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as ToWebview | FilmToWebview;
  if (typeof message !== 'object' || message === null) return;
  switch (message.type) {
    case 'film':
      receiveFilm(message);
      break;
    case 'state':
      render(message.view);
      break;
    case 'playAll':
      playAll();
      break;
    case 'captureFrame':
      captureLastFrame(message.videoUri).then(
        (png) => vscode.postMessage({ type: 'frame', requestId: message.requestId, png }),
        (error: unknown) => vscode.postMessage({ type: 'frameFailed', requestId: message.requestId, message: error instanceof Error ? error.message : String(error) }),
      );
      break;
  }
});

setupFilm((message) => vscode.postMessage(message));
vscode.postMessage({ type: 'ready' });
