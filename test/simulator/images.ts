// Reference-image checks, written from the contract (CONTRACT 3.1 and 12): JPEG, PNG or WebP, recognised
// by their bytes as a storage service would (never by file name or declared type); each under 30 MB
// (Ark's per-image limit); 1 to 9 `input_reference` parts per request (revision B: "repeat the same multipart
// field in upload order"; revision A documents one file, and the service behind both is the same).

export const MAX_REFERENCE_IMAGE_BYTES = 30 * 1024 * 1024;
export const MAX_REFERENCE_IMAGES = 9;
/** How many leading bytes the checks need (WebP's signature ends at byte 12). */
export const IMAGE_HEAD_BYTES = 12;

export type ImageKind = 'jpeg' | 'png' | 'webp';

const startsWith = (head: Uint8Array, at: number, bytes: readonly number[]) =>
  head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);

/** The image format its magic bytes name, or undefined for anything else. */
export function imageKind(head: Uint8Array): ImageKind | undefined {
  if (startsWith(head, 0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  // RIFF....WEBP
  if (startsWith(head, 0, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, 8, [0x57, 0x45, 0x42, 0x50])) return 'webp';
  return undefined;
}

/** Whether one uploaded part would be accepted as a reference image. */
export function acceptableImage(part: { size: number; head: Uint8Array }): boolean {
  return part.size > 0 && part.size <= MAX_REFERENCE_IMAGE_BYTES && imageKind(part.head) !== undefined;
}
