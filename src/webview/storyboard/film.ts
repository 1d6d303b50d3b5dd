// The film's part of the storyboard preview: a section under the header that plays the assembled film,
// says when it is older than the chosen takes, and offers Assemble Film and Export Timeline; a sound label
// on every take. Whether sound is *heard* is measured, not guessed from the host: after a second of playback
// Chromium's webkitAudioDecodedByteCount is still 0 when the player has no decoder for the film's audio
// (desktop VS Code has none for AAC), and then the page says so, with Play with Sound (the system player).
import * as l10n from '@vscode/l10n';
import type { FilmFromWebview, FilmToWebview, FilmView, SoundView } from '../../shared/storyboardProtocol';

type Post = (message: FilmFromWebview) => void;
type FilmState = Extract<FilmToWebview, { type: 'film' }>;

let post: Post = () => undefined;
let state: FilmState | undefined;
/** The film whose sound was measured (a new film is measured again). */
let measured: string | undefined;

export function setupFilm(send: Post): void {
  post = send;
  // A take played in its card is measured the same way (muted videos still decode their sound in Chromium).
  document.addEventListener('timeupdate', (e) => {
    const video = e.target as HTMLVideoElement;
    if (video.closest?.('.take')) measureTake(video);
    else if (video.id === 'player') measurePlayAll(video);
  }, true);
}

/** Play with Sound's hint: the system's player here, or a download where the files are on another machine. */
function playTitle(): string {
  return state?.playDownloads
    ? l10n.t('Download it to this computer, whose player plays its sound')
    : l10n.t('Open it in the system\'s player, which plays its sound');
}

/** Takes whose sound was measured, by video URI: whether it was heard. */
const takeHeard = new Map<string, boolean>();

function measureTake(video: HTMLVideoElement): void {
  const uri = video.getAttribute('src') ?? '';
  const sound = state?.sounds[uri];
  if (!sound?.hasAudio || takeHeard.has(uri) || video.currentTime < 1) return;
  const decoded = (video as HTMLVideoElement & { webkitAudioDecodedByteCount?: number }).webkitAudioDecodedByteCount;
  if (decoded === undefined) return;
  takeHeard.set(uri, decoded > 0);
  labelTakes();
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Array<Node | string | undefined>
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) e.setAttribute(k, v);
  for (const c of children) if (c !== undefined) e.append(c);
  return e;
}

function icon(name: string): HTMLElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

function button(label: string, attrs: Record<string, string | undefined>, onClick: () => void, iconName?: string): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, iconName ? icon(iconName) : undefined, label);
  b.addEventListener('click', onClick);
  return b;
}

export function soundWords(sound: SoundView): string {
  if (!sound.hasAudio) return l10n.t('No sound track');
  return sound.codec ? l10n.t('Sound: {0}', sound.codec) : l10n.t('Sound');
}

/** Called by the page after every render: the film section sits under the header, the takes get labels. */
export function afterRender(): void {
  if (!state) return;
  placeSection();
  labelTakes();
}

export function receiveFilm(next: FilmState): void {
  const before = state?.film?.videoUri;
  state = next;
  placeSection(before !== next.film?.videoUri);
  labelTakes();
}

function placeSection(rebuild = false): void {
  if (!state) return;
  const header = document.getElementById('header');
  if (!header) return;
  let section = document.getElementById('film');
  if (!section || rebuild) {
    const fresh = renderSection(state);
    if (section) section.replaceWith(fresh);
    section = fresh;
  } else {
    updateSection(section, state);
  }
  if (header.nextElementSibling !== section) header.after(section);
}

function renderSection(s: FilmState): HTMLElement {
  const film = s.film;
  const section = el('section', { id: 'film', class: 'film', 'aria-labelledby': 'film-title' },
    el('div', { class: 'film-head' },
      el('div', { class: 'titles' },
        el('h2', { id: 'film-title' }, icon('device-camera-video'), l10n.t('Film')),
        el('p', { class: 'meta', id: 'film-summary' })),
      el('div', { class: 'actions' },
        button(film ? l10n.t('Assemble Again') : l10n.t('Assemble Film'), { id: 'assemble-film', class: film ? 'secondary' : 'primary' }, () => post({ type: 'assembleFilm' }), 'device-camera-video'),
        button(l10n.t('Export Timeline'), { id: 'export-timeline', class: 'secondary', title: l10n.t('Write an OpenTimelineIO file for an editing application') }, () => post({ type: 'exportTimeline' }), 'export'))),
    el('p', { id: 'film-stale', class: 'film-stale', role: 'status' }),
    film ? filmPlayer(film) : el('p', { class: 'no-film' }, l10n.t('No film yet. Assemble Film joins the chosen take of every shot, in order, into one MP4 without re-encoding.')),
    el('p', { id: 'film-sound', class: 'film-sound' }),
    soundNote());
  updateSection(section, s);
  return section;
}

function filmPlayer(film: FilmView): HTMLElement {
  const video = el('video', { id: 'film-player', src: film.videoUri, controls: '', preload: 'metadata', 'aria-label': film.fileName });
  video.addEventListener('timeupdate', () => measureSound(video, film));
  return el('div', { class: 'film-screen' }, video);
}

function soundNote(): HTMLElement {
  const note = el('p', { id: 'sound-note', class: 'sound-note', role: 'note' },
    icon('mute'),
    el('span', { id: 'sound-note-text' }),
    button(l10n.t('Play with Sound'), { id: 'play-with-sound', class: 'secondary' }, () => post({ type: 'playWithSound' }), 'link-external'));
  note.hidden = true;
  return note;
}

function updateSection(section: HTMLElement, s: FilmState): void {
  const film = s.film;
  const assemble = section.querySelector('#assemble-film') as HTMLButtonElement;
  assemble.disabled = !s.canAssemble;
  assemble.title = s.canAssemble ? l10n.t('Join the chosen take of every shot, in order, into one MP4 (no re-encoding)') : l10n.t('No shot has a take to put in the film yet');
  (section.querySelector('#export-timeline') as HTMLButtonElement).disabled = !s.canAssemble;
  section.querySelector('#film-summary')!.textContent = film ? `${film.fileName} · ${film.summary}` : '';
  const stale = section.querySelector('#film-stale') as HTMLElement;
  stale.replaceChildren();
  stale.hidden = !film || film.staleShots.length === 0;
  if (film && film.staleShots.length > 0) {
    stale.append(icon('warning'), el('span', {}, l10n.t('The film is older than the chosen takes of {0}. Assemble it again to include them.', film.staleShots.map((t) => `"${t}"`).join(', '))));
  }
  section.dataset.stale = film && film.staleShots.length > 0 ? 'true' : 'false';
  section.querySelector('#film-sound')!.textContent = film ? soundWords(film.sound) : '';
  (section.querySelector('#play-with-sound') as HTMLButtonElement).title = playTitle();
}

/**
 * Once the film has played a second: no decoded audio from a film that has audio means this player cannot
 * decode it (desktop VS Code and AAC). In a browser host the bytes grow and nothing is said.
 */
function measureSound(video: HTMLVideoElement, film: FilmView): void {
  if (measured === film.videoUri || video.currentTime < 1) return;
  measured = film.videoUri;
  const decoded = (video as HTMLVideoElement & { webkitAudioDecodedByteCount?: number }).webkitAudioDecodedByteCount;
  const note = document.getElementById('sound-note');
  if (!film.sound.hasAudio || decoded === undefined || !note) {
    document.body.dataset.filmSound = film.sound.hasAudio ? 'unknown' : 'none';
    return;
  }
  document.body.dataset.filmSound = decoded > 0 ? 'heard' : 'silent';
  note.hidden = decoded > 0;
  document.getElementById('sound-note-text')!.textContent = l10n.t('This film has sound ({0}), but this editor\'s player cannot decode it, so it plays silently here.', film.sound.codec ?? '?');
}

/** Play All plays the takes themselves: the same measurement, said in the player's bar. */
function measurePlayAll(video: HTMLVideoElement): void {
  const uri = video.getAttribute('src') ?? '';
  measureTake(video);
  const bar = document.querySelector('#player-section .player-bar');
  if (!bar) return;
  let note = document.getElementById('player-sound');
  if (!note) {
    note = el('span', { id: 'player-sound', class: 'take-sound' });
    bar.append(note);
  }
  const sound = state?.sounds[uri];
  const card = (Array.from(document.querySelectorAll('.take video')) as HTMLVideoElement[]).find((v) => v.getAttribute('src') === uri)?.closest('.take');
  const shot = card?.closest('[data-shot]')?.getAttribute('data-shot');
  const take = card?.getAttribute('data-take');
  const key = `${uri} ${takeHeard.get(uri)}`;
  if (note.dataset.key === key) return; // unchanged: keep the button (and its focus)
  note.dataset.key = key;
  note.replaceChildren();
  if (!sound?.hasAudio || takeHeard.get(uri) !== false) return;
  note.append(icon('mute'), soundWords(sound), ` · ${l10n.t('silent here')}`);
  if (shot && take) note.append(button(l10n.t('Play with Sound'), { class: 'link', title: playTitle() }, () => post({ type: 'playWithSound', shot, take }), 'link-external'));
}

/** A small label under each take: its sound track and codec, read from the file by the extension. */
function labelTakes(): void {
  if (!state) return;
  for (const video of Array.from(document.querySelectorAll('.take video')) as HTMLVideoElement[]) {
    const sound = state.sounds[video.getAttribute('src') ?? ''];
    const card = video.closest('.take');
    if (!sound || !card) continue;
    let label = card.querySelector('.take-sound') as HTMLElement | null;
    if (!label) {
      label = el('span', { class: 'take-sound' });
      card.querySelector('.take-foot')?.before(label);
    }
    const heard = takeHeard.get(video.getAttribute('src') ?? '');
    label.replaceChildren(icon(sound.hasAudio && heard !== false ? 'unmute' : 'mute'), soundWords(sound));
    card.setAttribute('data-sound', sound.hasAudio ? sound.codec ?? 'yes' : 'none');
    if (sound.hasAudio && heard === false) {
      // Measured: this player cannot decode the take's sound. The system's player can.
      const shot = card.closest('[data-shot]')?.getAttribute('data-shot');
      const take = card.getAttribute('data-take');
      label.append(` · ${l10n.t('silent here')}`);
      if (shot && take) label.append(button(l10n.t('Play with Sound'), { class: 'link', title: playTitle() }, () => post({ type: 'playWithSound', shot, take }), 'link-external'));
      card.setAttribute('data-heard', 'false');
    }
  }
}
