// Every reference image of a request, in upload order, and back. A request keeps the first one in
// `inputReference` and the rest in `moreReferences` (the shape older stored tasks already have); code that
// shows, repeats, keeps or sends images goes through here so none of them is forgotten.
import type { ReferenceImages } from './generationRequest';

/** Every reference image, in upload order. */
export function imagesOf<Image>(request: ReferenceImages<Image>): Image[] {
  return [...(request.inputReference ? [request.inputReference] : []), ...(request.moreReferences ?? [])];
}

/** Images in upload order as a request holds them, with no key for what is not there: the inverse of imagesOf. */
export function referencesOf<Image>(images: readonly Image[]): ReferenceImages<Image> {
  return {
    ...(images.length > 0 ? { inputReference: images[0] } : {}),
    ...(images.length > 1 ? { moreReferences: images.slice(1) } : {}),
  };
}
