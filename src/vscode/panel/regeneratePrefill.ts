// The form prefill that repeats a task's request: prompt, settings and the same reference images, in the same
// order. Each image is the task's stored copy (or, for a request sent by command with a path, a fresh copy of
// that file); the ones that can no longer be read are named, and the form asks for them before anything is
// sent. A request without images clears the form's images, so an image chosen for another request never
// rides along.
import { imagesOf } from '../../core/requestImages';
import type { TaskRequest } from '../../core/tasks/task';
import type { Prefill, ReferenceImageView } from '../../shared/protocol';
import type { ReferenceImageStore, StoredReferenceImage } from './referenceImageStore';

export async function regeneratePrefill(
  request: TaskRequest,
  images: Pick<ReferenceImageStore, 'tokenOf' | 'find' | 'importFile'>,
  describe: (image: StoredReferenceImage) => ReferenceImageView,
): Promise<Prefill> {
  const { prompt, model, seconds, size, resolution } = request;
  const base = { source: 'regenerate' as const, prompt, settings: { model, seconds, size, resolution } };
  const found: ReferenceImageView[] = [];
  const missing: string[] = [];
  for (const reference of imagesOf(request)) {
    const token = images.tokenOf(reference.path);
    let stored = token ? await images.find(token) : undefined;
    if (!stored && !token) {
      // Sent by command with a file of the person's: copy it again (checked like a picked file).
      stored = await images.importFile(reference.path).catch(() => undefined);
    }
    if (stored) found.push(describe(stored));
    else missing.push(reference.name);
  }
  return { ...base, images: found, ...(missing.length > 0 ? { missingImages: missing } : {}) };
}
