// The last frame of a take, captured in the browser (no ffmpeg, no native binary): the video's bytes
// arrive from the extension, play from a blob: URL (seekable to its end, unlike a URL the webview's service
// worker serves without Range support), are sought to just before the end, drawn on a canvas and encoded
// as PNG. The page's CSP allows `media-src blob:` for exactly this. Its errors reach the person (through
// the extension), so they are worded through @vscode/l10n like the page's other text.
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

export async function captureLastFrame(bytes: Uint8Array): Promise<Uint8Array> {
  const blob = new Blob([bytes as BlobPart], { type: 'video/mp4' });
  const url = URL.createObjectURL(blob);
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
    // A blob is seekable as soon as its data is there; wait until the range covers the target anyway.
    for (let i = 0; i < 50 && !(video.seekable.length > 0 && video.seekable.end(video.seekable.length - 1) >= target); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
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
    URL.revokeObjectURL(url);
  }
}
