// The multipart body of POST /v1/videos, exactly as the vendor's create page (revision A) describes it:
// text fields prompt, model, seconds (a string: multipart values are strings), size (aspect ratio),
// resolution, and the optional reference image as a file part `input_reference` with its real content
// type and a file name. undici chooses the boundary.
// The newer documented shape (`wxh`, CONTRACT 3.1/3.3) sends size as the exact WxH from exactSizes.ts and no
// resolution; several reference images repeat the `input_reference` part in upload order (both shapes).

// undici 7 exports FormData but no File/Blob of its own; its FormData takes Node's Blob (with a file name
// as the third argument), which is what undici's own File wraps.
import { Blob } from 'node:buffer';
import { FormData } from 'undici';
import type { RequestShape } from '../catalog';
import { exactSize } from '../exactSizes';
import { ApiError } from './errors';
import type { CreateVideoRequest } from './types';

export function buildCreateForm(req: CreateVideoRequest, shape: RequestShape = 'ratio'): FormData {
  const form = new FormData();
  form.append('prompt', req.prompt);
  form.append('model', req.model);
  form.append('seconds', String(req.seconds));
  if (shape === 'wxh') {
    const size = exactSize(req.model, req.size, req.resolution);
    // Validation keeps this from happening; nothing has been sent yet, so say so plainly.
    if (!size) throw new ApiError('invalidRequest', `There is no exact size for ${req.model} at ${req.size} ${req.resolution}; choose another resolution.`);
    form.append('size', size);
  } else {
    form.append('size', req.size);
    form.append('resolution', req.resolution);
  }
  const images = [...(req.inputReference ? [req.inputReference] : []), ...(req.moreReferences ?? [])];
  for (const image of images) {
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
