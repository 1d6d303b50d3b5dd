// The preview list: one card per generation, newest first, showing live status and progress, then the
// downloaded video inline with its actions. Cards update in place so a playing video is never restarted
// by a progress tick of another task.
import * as l10n from '@vscode/l10n';
import { modelLabel } from '../core/catalog';
import type { Prefill, TaskAction, TaskView } from '../shared/protocol';
import { codicon, formatBytes, h, replaceChildren, setHidden } from './dom';
import { keepFocus } from './keepFocus';
import type { Host } from './host';

interface StatusLook {
  readonly icon: string;
  readonly text: string;
  readonly busy: boolean;
}

function statusLook(task: TaskView): StatusLook {
  switch (task.status) {
    case 'submitting':
      return { icon: 'loading~spin', text: l10n.t('Sending the request…'), busy: true };
    case 'queued':
      return { icon: 'clock', text: l10n.t('Queued on CometAPI'), busy: true };
    case 'running':
      return { icon: 'sync~spin', text: l10n.t('Generating… {0}%', Math.round(task.progress)), busy: true };
    case 'stalled':
      return { icon: 'warning', text: l10n.t('Taking unusually long; no longer checked automatically'), busy: false };
    case 'uncertain':
      return { icon: 'question', text: l10n.t('Unknown whether CometAPI received the request'), busy: false };
    case 'failed':
      return { icon: 'error', text: l10n.t('Failed'), busy: false };
    case 'succeeded':
      switch (task.download.state) {
        case 'downloaded':
          return { icon: 'pass', text: l10n.t('Ready'), busy: false };
        case 'downloading': {
          const { bytes = 0, total } = task.download;
          const amount = total ? `${Math.round((bytes / total) * 100)}%` : formatBytes(bytes);
          return { icon: 'cloud-download', text: l10n.t('Downloading… {0}', amount), busy: true };
        }
        case 'failed':
          return { icon: 'warning', text: l10n.t('Generated, but the download failed'), busy: false };
        case 'none':
          return { icon: 'pass', text: l10n.t('Generated; not downloaded yet'), busy: false };
      }
  }
}

/** "8 s", "1 min 05 s", "1 h 02 min": how long something took or usually takes. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return l10n.t('{0} s', s);
  const m = Math.floor(s / 60);
  if (m < 60) return l10n.t('{0} min {1} s', m, String(s % 60).padStart(2, '0'));
  return l10n.t('{0} h {1} min', Math.floor(m / 60), String(m % 60).padStart(2, '0'));
}

/** A learned duration said as a round figure: nearest 5 s under two minutes, else nearest half minute. */
function roughly(ms: number): string {
  const step = ms < 120_000 ? 5_000 : 30_000;
  return formatDuration(Math.max(step, Math.round(ms / step) * step));
}

/**
 * The timing line under the status: the service's progress is coarse (0, 10, 50, done), so a ticking
 * elapsed time shows the card is alive, and what was learned about durations says what to expect.
 */
function timingText(task: TaskView, elapsedMs: number, busy: boolean): string {
  if (busy) {
    const elapsed = l10n.t('{0} so far', formatDuration(elapsedMs));
    if (task.typicalMs === undefined) return elapsed;
    return elapsedMs <= task.typicalMs * 1.25
      ? l10n.t('{0} · usually about {1}', elapsed, roughly(task.typicalMs))
      : l10n.t('{0} · longer than usual (about {1})', elapsed, roughly(task.typicalMs));
  }
  if (task.status === 'succeeded' || task.status === 'failed') return l10n.t('Took {0}', formatDuration(elapsedMs));
  return '';
}

/** Whether a card's state is one a person waits for: the video is ready, or it will not come. */
function isFinished(task: TaskView): boolean {
  return task.status === 'failed' || (task.status === 'succeeded' && task.download.state !== 'downloading');
}

/** CSS cannot select on arbitrary ids safely, and ids come from the extension: keep DOM ids tame. */
function domId(taskId: string): string {
  return `result-${taskId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

class ResultCard {
  readonly element: HTMLLIElement;
  private readonly head = h('div', { class: 'result-head' });
  private readonly progress = h('vscode-progress-bar', { class: 'result-progress' });
  private readonly videoSlot = h('div', { class: 'video-slot' });
  private readonly message = h('div', { class: 'result-message', role: 'status' });
  private readonly actions = h('div', { class: 'result-actions' });
  private readonly timing = h('p', { class: 'result-timing muted' });
  private video: HTMLVideoElement | undefined;
  private task: TaskView;
  /** performance.now() when `task` arrived: elapsedMs was true then (see TaskView.elapsedMs). */
  private receivedAt = 0;

  constructor(task: TaskView, private readonly list: ResultList) {
    this.element = h('li', { class: 'result', id: domId(task.id), tabindex: '-1', 'data-task-id': task.id });
    const prompt = h('p', { class: 'result-prompt', title: task.prompt }, task.prompt);
    this.element.append(this.head, prompt, this.progress, this.timing, this.videoSlot, this.message, this.actions);
    this.task = task;
    this.update(task);
  }

  /** Whether the card is waiting for something (the list's clock ticks while any card is). */
  get busy(): boolean {
    return statusLook(this.task).busy;
  }

  get prompt(): string {
    return this.task.prompt;
  }

  /** Redraws the elapsed time (once a second while busy). */
  tick(): void {
    const busy = this.busy;
    const elapsed = (this.task.elapsedMs ?? 0) + (busy ? performance.now() - this.receivedAt : 0);
    const text = timingText(this.task, elapsed, busy);
    if (this.timing.textContent !== text) this.timing.textContent = text;
    setHidden(this.timing, text === '');
  }

  update(task: TaskView): void {
    keepFocus(() => this.rebuild(task)); // a keyboard user on Dismiss or an action keeps it through progress updates
  }

  private rebuild(task: TaskView): void {
    this.task = task;
    this.receivedAt = performance.now();
    this.tick();
    const look = statusLook(task);
    const model = modelLabel(task.model);
    const dismiss = h('vscode-icon', { name: 'close', 'action-icon': true, 'data-focus': `dismiss:${task.id}`, label: l10n.t('Dismiss this result'), class: 'dismiss', title: l10n.t('Dismiss') });
    dismiss.addEventListener('vsc-click', () => this.list.dismiss(task.id));
    replaceChildren(
      this.head,
      h('span', { class: `status status-${task.status}` }, codicon(look.icon.replace('~spin', ''), look.icon.endsWith('~spin') ? 'codicon-modifier-spin' : ''), ' ', look.text),
      h('span', { class: 'result-meta muted' }, `${model} · ${l10n.t('{0} s', task.seconds)} · ${task.size} · ${task.resolution}`),
      dismiss,
    );
    this.element.setAttribute('aria-label', `${look.text}: ${task.prompt.slice(0, 80)}`);

    setHidden(this.progress, !look.busy);
    if (task.status === 'running' && task.progress > 0) {
      this.progress.indeterminate = false;
      this.progress.value = task.progress;
    } else if (task.status === 'succeeded' && task.download.state === 'downloading' && task.download.total) {
      this.progress.indeterminate = false;
      this.progress.value = Math.round(((task.download.bytes ?? 0) / task.download.total) * 100);
    } else {
      this.progress.indeterminate = true;
    }
    this.progress.ariaLabel = look.text;

    this.updateVideo(task);
    replaceChildren(this.message, task.error ? h('p', { class: 'error-text' }, codicon('error'), ' ', task.error) : null);
    this.renderActions(task);
  }

  focus(): void {
    this.element.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    this.element.focus({ preventScroll: true });
    this.flash();
  }

  /**
   * Brings the card into view without moving keyboard focus: a finished video should not wait below the fold
   * (or under a notification in the corner), and a person typing a prompt keeps typing where they were.
   * Already well in view: nothing moves.
   */
  reveal(): void {
    const rect = this.element.getBoundingClientRect();
    const room = window.innerHeight;
    if (rect.top >= 0 && rect.bottom <= room * 0.75) {
      this.flash();
      return;
    }
    this.element.scrollIntoView({ block: rect.height > room ? 'start' : 'center', behavior: 'smooth' });
    this.flash();
  }

  private flash(): void {
    this.element.classList.add('flash');
    setTimeout(() => this.element.classList.remove('flash'), 1200);
  }

  private updateVideo(task: TaskView): void {
    const uri = task.video?.uri;
    if (!uri) {
      this.video = undefined;
      replaceChildren(this.videoSlot);
      return;
    }
    if (this.video?.getAttribute('src') === uri) return;
    // The shape is the requested ratio until the file's own dimensions are known, then the real one.
    const frame = h('div', { class: 'video-frame', 'data-ratio': task.size });
    const video = h('video', { controls: true, loop: true, preload: 'metadata', playsinline: true, src: uri, 'aria-label': l10n.t('Generated video: {0}', task.prompt.slice(0, 120)) });
    video.addEventListener('loadedmetadata', () => {
      if (video.videoWidth > 0 && video.videoHeight > 0) {
        // CSSOM property, not a style attribute: allowed by the CSP without 'unsafe-inline'.
        frame.style.aspectRatio = `${video.videoWidth} / ${video.videoHeight}`;
        frame.classList.add('measured');
        frame.classList.toggle('portrait', video.videoHeight > video.videoWidth);
      }
    });
    video.addEventListener('error', () => {
      replaceChildren(this.message, h('p', { class: 'error-text' }, codicon('warning'), ' ', filesAreLocal() ? l10n.t('This video cannot be played here; use Open Externally.') : l10n.t('This video cannot be played here; use Download.')));
    });
    // A paused first frame looks like a still: a play button over it says it is a video (hidden while playing).
    const play = h('button', { class: 'play-overlay', type: 'button', 'data-action': 'play', 'aria-label': l10n.t('Play video'), title: l10n.t('Play') }, codicon('play'));
    play.addEventListener('click', () => void video.play().catch(() => undefined));
    const playing = (on: boolean) => frame.classList.toggle('playing', on);
    video.addEventListener('play', () => playing(true));
    video.addEventListener('pause', () => playing(false));
    video.addEventListener('ended', () => playing(false));
    frame.append(video, play);
    replaceChildren(this.videoSlot, frame, h('p', { class: 'muted audio-note' },
      filesAreLocal()
        ? l10n.t('No sound? VS Code previews play video but not AAC audio; Open Externally plays it with sound.')
        : l10n.t('No sound? VS Code previews play video but not AAC audio; Download saves it to this computer, where your player plays it with sound.')));
    this.video = video;
  }

  private renderActions(task: TaskView): void {
    const downloaded = task.video !== undefined;
    const button = (label: string, icon: string, onClick: () => void, id: string) => {
      const b = h('vscode-button', { secondary: true, icon, 'data-action': id, 'data-focus': `${id}:${task.id}` }, label);
      b.addEventListener('click', onClick);
      return b;
    };
    const act = (action: TaskAction) => () => void this.list.act(task.id, action, this.message).catch((e: unknown) => console.error('Seedance panel:', e));
    replaceChildren(
      this.actions,
      downloaded && button(l10n.t('Open File'), 'go-to-file', act('openFile'), 'openFile'),
      downloaded && button(l10n.t('Reveal in Explorer'), 'files', act('revealFile'), 'revealFile'),
      // A failure CometAPI may take back (a lost task it finds again): ask it again before paying for another.
      task.canCheckAgain === true && button(l10n.t('Check Again'), 'sync', act('checkAgain'), 'checkAgain'),
      // The extension fills the form in: it has the request's reference image, which the card does not.
      button(l10n.t('Regenerate'), 'refresh', act('regenerate'), 'regenerate'),
      // Draft, then final: the same prompt and images at a higher resolution or on another model (issue 19).
      task.status === 'succeeded' && button(l10n.t('Promote…'), 'arrow-up', act('promote'), 'promote'),
      button(l10n.t('Copy Prompt'), 'copy', act('copyPrompt'), 'copyPrompt'),
      // Where the file is on another machine (VS Code in a browser, a remote window), the system player cannot
      // reach it: offer a download to this computer instead (hostKind.ts in the extension).
      downloaded && (filesAreLocal()
        ? button(l10n.t('Open Externally'), 'link-external', act('openExternally'), 'openExternally')
        : button(l10n.t('Download'), 'desktop-download', act('downloadFile'), 'downloadFile')),
    );
  }
}

/** How long without a key press counts as a pause in typing. */
const TYPING_PAUSE_MS = 1500;

export class ResultList {
  readonly element: HTMLElement;
  private readonly list = h('ol', { class: 'results-list', id: 'results-list' });
  private readonly empty = h('p', { class: 'muted empty' }, l10n.t('Generated videos appear here, newest first.'));
  private readonly cards = new Map<string, ResultCard>();
  /** Ticks the cards' elapsed time once a second, only while one of them is waiting. */
  private clock: ReturnType<typeof setInterval> | undefined;
  /** performance.now() of the last key pressed in the page: a reveal waits until typing pauses. */
  private lastKeyAt = -Infinity;
  private pendingReveal: { id: string; timer: ReturnType<typeof setTimeout> } | undefined;

  constructor(
    private readonly host: Host,
    private readonly events: { onPrefill(prefill: Prefill): void; onChange(): void },
  ) {
    this.element = h('section', { class: 'results', 'aria-labelledby': 'results-title' },
      h('h2', { id: 'results-title' }, l10n.t('Results')), this.empty, this.list);
    // Keys reach the document from inside the form's components too (keyboard events are composed).
    document.addEventListener('keydown', () => {
      this.lastKeyAt = performance.now();
    }, { capture: true });
  }

  /** Replaces the whole list (from `init`), newest first. */
  reset(tasks: readonly TaskView[]): void {
    this.cards.clear();
    replaceChildren(this.list);
    for (const task of [...tasks].reverse()) this.upsert(task, false);
    this.events.onChange();
  }

  /**
   * Updates a card, or adds it at the top. A card that was waiting and has just finished (ready, or failed) is
   * brought into view: that is the news the person waits for.
   */
  upsert(task: TaskView, focus: boolean): void {
    let card = this.cards.get(task.id);
    if (card) {
      const wasBusy = card.busy;
      card.update(task);
      if (wasBusy && !card.busy && isFinished(task) && !focus) this.revealWhenIdle(task.id);
    } else {
      card = new ResultCard(task, this);
      this.cards.set(task.id, card);
      this.list.prepend(card.element);
      this.events.onChange();
    }
    setHidden(this.empty, this.cards.size > 0);
    if (focus) card.focus();
    this.runClock();
  }

  /** Starts the elapsed-time clock while a card waits; stops it when none does. */
  private runClock(): void {
    const anyBusy = [...this.cards.values()].some((c) => c.busy);
    if (anyBusy && this.clock === undefined) {
      this.clock = setInterval(() => {
        for (const c of this.cards.values()) c.tick();
        this.runClock();
      }, 1000);
    } else if (!anyBusy && this.clock !== undefined) {
      clearInterval(this.clock);
      this.clock = undefined;
    }
  }

  /**
   * Reveals a finished card, but not in the middle of a word: while keys are being pressed the scroll waits
   * until typing pauses (a scroll under a caret would pull the page back and forth). Focus never moves.
   */
  private revealWhenIdle(taskId: string): void {
    if (this.pendingReveal) clearTimeout(this.pendingReveal.timer);
    const attempt = () => {
      const quietFor = performance.now() - this.lastKeyAt;
      if (quietFor < TYPING_PAUSE_MS) {
        this.pendingReveal = { id: taskId, timer: setTimeout(attempt, TYPING_PAUSE_MS - quietFor + 50) };
        return;
      }
      this.pendingReveal = undefined;
      this.cards.get(taskId)?.reveal();
    };
    attempt();
  }

  remove(taskId: string): void {
    const card = this.cards.get(taskId);
    if (!card) return;
    card.element.remove();
    this.cards.delete(taskId);
    setHidden(this.empty, this.cards.size > 0);
    this.events.onChange();
  }

  focus(taskId: string): void {
    this.cards.get(taskId)?.focus();
  }

  /** Whether a card shows this prompt (it was sent: replacing it in the form loses nothing). */
  hasPrompt(prompt: string): boolean {
    for (const card of this.cards.values()) if (card.prompt === prompt) return true;
    return false;
  }

  /** Card ids, newest first (what the saved state remembers). */
  ids(): string[] {
    return Array.from(this.list.children, (li) => (li as HTMLElement).dataset.taskId ?? '').filter(Boolean);
  }

  dismiss(taskId: string): void {
    this.host.post({ type: 'dismissResult', taskId });
    this.remove(taskId);
  }

  async act(taskId: string, action: TaskAction, messageSlot: HTMLElement): Promise<void> {
    const reply = await this.host.request<'taskAction'>({ type: 'taskAction', taskId, action });
    if (!reply.ok) {
      replaceChildren(messageSlot, h('p', { class: 'error-text' }, codicon('error'), ' ', reply.error.message));
    } else if (action === 'copyPrompt') {
      replaceChildren(messageSlot, h('p', { class: 'muted' }, codicon('check'), ' ', l10n.t('Prompt copied.')));
    }
  }
}

/** Set by the extension on the page (panelHtml.ts): whether the saved files are on the machine showing this UI. */
function filesAreLocal(): boolean {
  return document.getElementById('app')?.dataset.files !== 'remote';
}
