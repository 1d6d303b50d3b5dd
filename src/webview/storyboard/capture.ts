// The last frame of a take, captured in the browser (no ffmpeg, no native binary): the video is loaded from
// its own webview URL (nothing is posted: a 1080p take is 100+ MB), sought to just before the end, drawn
// on a canvas and encoded as PNG. Where that URL cannot seek to the end (a webview resource server without
// Range support), the page fetches the same URL once into a blob: URL, which always can; the CSP allows
// `media-src blob:` and `connect-src` of the webview's own resources for exactly this. Its errors reach the
// person (through the extension), so they are worded through @vscode/l10n like the page's other text.
import * as l10n from '@vscode/l10n';

/** How far before the end to seek: the last decodable frame, not past it. */
const BEFORE_END_S = 0.05;
const TIMEOUT_MS = 30_000;

function once(target: HTMLMediaElement, event: string, timeoutMs = TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(l10n.t('The video did not finish loading within {0} s (waiting for "{1}").', timeoutMs / 1000, event)));
    }, timeoutMs);
    const ok = () => {
      cleanup();
      resolve();
    };
    const fail = () => {
      cleanup();
      reject(new Error(l10n.t('The video could not be decoded ({0}).', target.error?.message || String(target.error?.code ?? l10n.t('unknown error')))));
    };
    const cleanup = () => {
      clearTimeout(timer);
      target.removeEventListener(event, ok);
      target.removeEventListener('error', fail);
    };
    target.addEventListener(event, ok);
    target.addEventListener('error', fail);
  });
}

export async function captureLastFrame(videoUri: string): Promise<Uint8Array> {
  try {
    return await captureFrom(videoUri, false);
  } catch (error) {
    if (!(error instanceof NotSeekable)) throw error;
  }
  const response = await fetch(videoUri);
  if (!response.ok) throw new Error(l10n.t('The video could not be read ({0}).', response.status));
  const url = URL.createObjectURL(await response.blob());
  try {
    return await captureFrom(url, true);
  } finally {
    URL.revokeObjectURL(url);
  }
}

class NotSeekable extends Error {}

async function captureFrom(url: string, isBlob: boolean): Promise<Uint8Array> {
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  video.playsInline = true;
  try {
    const loaded = once(video, 'loadeddata');
    video.src = url;
    await loaded;
    const duration = Number.isFinite(video.duration) ? video.duration : 0;
    const target = Math.max(0, duration - BEFORE_END_S);
    // A blob is seekable as soon as its data is there; a served URL only with Range support. Wait a little
    // for the range to cover the target; a served URL that never does goes the blob route instead.
    const seekable = () => video.seekable.length > 0 && video.seekable.end(video.seekable.length - 1) >= target;
    for (let i = 0; i < (isBlob ? 50 : 20) && !seekable(); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!isBlob && !seekable()) throw new NotSeekable();
    const seeked = once(video, 'seeked');
    video.currentTime = target;
    await seeked;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext('2d');
    if (!context || canvas.width === 0) throw new Error(l10n.t('The video has no picture to capture.'));
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const png = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!png) throw new Error(l10n.t('The frame could not be encoded as PNG.'));
    return new Uint8Array(await png.arrayBuffer());
  } finally {
    video.removeAttribute('src');
    video.load();
  }
}
