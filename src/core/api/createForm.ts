// The multipart body of POST /v1/videos, exactly as the vendor's create page (revision A) describes it:
// text fields prompt, model, seconds (a string: multipart values are strings), size (aspect ratio),
// resolution, and the optional reference image as a file part `input_reference` with its real content
// type and a file name.
//
// Encoded here rather than through FormData so the body is a known length sent in small pieces: the
// transport counts what the socket has taken (upload progress, the idle timeout while uploading) and knows
// the moment the last byte left, which is when the create deadline starts (a 20 MB image over a slow
// uplink must not eat the time the service has to answer).
// The newer documented shape (`wxh`, CONTRACT 3.1/3.3) sends size as the exact WxH from exactSizes.ts and no
// resolution (always, for a model documented only that way: 2.0 Mini, 2.5); several reference images repeat the
// `input_reference` part in upload order (both shapes).

import { randomBytes } from 'node:crypto';
import { requestShapeFor, type RequestShape } from '../catalog';
import { exactSize } from '../exactSizes';
import { ApiError } from './errors';
import type { CreateVideoRequest } from './types';

/** A request body sent piece by piece. */
export interface UploadBody {
  readonly contentType: string;
  /** Total bytes (sent as Content-Length). */
  readonly length: number;
  /** The body in order; each call starts from the beginning. */
  chunks(): Generator<Uint8Array>;
}

/** Pieces of the image are at most this big, so progress and stalls are seen at this granularity. */
const PIECE_BYTES = 64 * 1024;

export function buildCreateForm(req: CreateVideoRequest, shape: RequestShape = 'ratio'): UploadBody {
  const boundary = `----SeedanceStudio${randomBytes(12).toString('hex')}`;
  const parts: Uint8Array[] = [];
  const field = (name: string, value: string) => {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'));
  };
  field('prompt', req.prompt);
  field('model', req.model);
  field('seconds', String(req.seconds));
  // The setting picks the shape only for models documented both ways (2.0 Mini and 2.5: WxH always).
  if (requestShapeFor(req.model, shape) === 'wxh') {
    const size = exactSize(req.model, req.size, req.resolution);
    // Validation keeps this from happening; nothing has been sent yet, so say so plainly.
    if (!size) throw new ApiError('invalidRequest', `There is no exact size for ${req.model} at ${req.size} ${req.resolution}; choose another resolution.`);
    field('size', size);
  } else {
    field('size', req.size);
    field('resolution', req.resolution);
  }
  const images = [...(req.inputReference ? [req.inputReference] : []), ...(req.moreReferences ?? [])];
  for (const image of images) {
    // The service checks the part's content type; the name only needs to be plausible, so keep the
    // person's file name but never a path.
    const name = safeFileName(image.fileName, image.contentType);
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="input_reference"; filename="${name}"\r\nContent-Type: ${image.contentType}\r\n\r\n`,
        'utf8',
      ),
    );
    for (let at = 0; at < image.data.length; at += PIECE_BYTES) parts.push(image.data.subarray(at, at + PIECE_BYTES));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: parts.reduce((sum, p) => sum + p.length, 0),
    *chunks() {
      yield* parts;
    },
  };
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

function safeFileName(fileName: string, contentType: string): string {
  const base = fileName.split(/[\\/]/).pop()?.replace(/[\u0000-\u001f\u007f"]/g, '').trim() ?? '';
  return base !== '' ? base : `reference.${EXTENSIONS[contentType] ?? 'bin'}`;
}
