// The multipart body of POST /v1/videos, exactly as the vendor's create page (revision A) describes it:
// text fields prompt, model, seconds (a string: multipart values are strings), size (aspect ratio),
// resolution, and the optional reference image as a file part `input_reference` with its real content
// type and a file name. undici chooses the boundary.

// undici 7 exports FormData but no File/Blob of its own; its FormData takes Node's Blob (with a file name
// as the third argument), which is what undici's own File wraps.
import { Blob } from 'node:buffer';
import { FormData } from 'undici';
import type { CreateVideoRequest } from './types';

export function buildCreateForm(req: CreateVideoRequest): FormData {
  const form = new FormData();
  form.append('prompt', req.prompt);
  form.append('model', req.model);
  form.append('seconds', String(req.seconds));
  form.append('size', req.size);
  form.append('resolution', req.resolution);
  const image = req.inputReference;
  if (image) {
    // The service checks the part's content type; the name only needs to be plausible, so keep the
    // person's file name but never a path.
    const name = safeFileName(image.fileName, image.contentType);
    form.append('input_reference', new Blob([image.data], { type: image.contentType }), name);
  }
  return form;
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

function safeFileName(fileName: string, contentType: string): string {
  const base = fileName.split(/[\\/]/).pop()?.replace(/[\u0000-\u001f"]/g, '').trim() ?? '';
  return base !== '' ? base : `reference.${EXTENSIONS[contentType] ?? 'bin'}`;
}
