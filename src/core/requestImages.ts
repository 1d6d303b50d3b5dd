// Every reference image of a request, in upload order. A task keeps the first one in `inputReference` and the
// rest in `moreReferences` (the shape older stored tasks already have); code that shows, repeats or keeps
// images reads them through here so none of them is forgotten.
import type { TaskReferenceImage, TaskRequest } from './tasks/task';

export function imagesOf(request: Pick<TaskRequest, 'inputReference' | 'moreReferences'>): TaskReferenceImage[] {
  return [...(request.inputReference ? [request.inputReference] : []), ...(request.moreReferences ?? [])];
}
