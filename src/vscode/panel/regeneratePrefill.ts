// The form prefill that repeats a task's request: prompt, settings and the same reference image. The image
// is the task's stored copy (or, for a request sent by command with a path, a fresh copy of that file); when
// neither can be read any more the prefill says so, and the form asks for the image before anything is sent.
// A request without an image clears the form's image, so an image chosen for another request never rides along.
import type { TaskRequest } from '../../core/tasks/task';
import type { Prefill, ReferenceImageView } from '../../shared/protocol';
import type { ReferenceImageStore, StoredReferenceImage } from './referenceImageStore';

export async function regeneratePrefill(
  request: TaskRequest,
  images: Pick<ReferenceImageStore, 'tokenOf' | 'find' | 'importFile'>,
  describe: (image: StoredReferenceImage) => ReferenceImageView,
): Promise<Prefill> {
  const { prompt, model, seconds, size, resolution, inputReference } = request;
  const base = { source: 'regenerate' as const, prompt, settings: { model, seconds, size, resolution } };
  if (!inputReference) return { ...base, image: null };
  const token = images.tokenOf(inputReference.path);
  let stored = token ? await images.find(token) : undefined;
  if (!stored && !token) {
    // Sent by command with a file of the person's: copy it again (checked like a picked file).
    stored = await images.importFile(inputReference.path).catch(() => undefined);
  }
  return stored ? { ...base, image: describe(stored) } : { ...base, missingImage: inputReference.name };
}
