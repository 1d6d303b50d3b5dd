// The storyboard `Seedance: New Storyboard` writes: three shots that show the whole format (front matter,
// a shot with its own settings, a continuation), valid with every default, short enough to read at once.

import { yamlScalar } from './edits';

/** The example under the person's title (quoted in the front matter where YAML needs it). */
export function exampleStoryboard(title = 'The Lighthouse'): string {
  return `---
title: ${yamlScalar(title)}
model: doubao-seedance-2-0-fast
seconds: 5
size: 16:9
resolution: 720p
---

# ${title}

Every "## " heading is a shot; the text under it is its prompt. Settings for one shot go in a
\`<!-- shot ... -->\` comment under its heading (GitHub does not show it). Generate, preview and choose
takes with the links above each heading.

## Dusk over the sea
A slow aerial push toward a white lighthouse on a rocky island at dusk, waves breaking below,
warm last light on the tower, cinematic, 35 mm.

## The keeper climbs
<!-- shot
seconds: 6
-->
Inside the lighthouse, an old keeper climbs a spiral iron staircase with a lantern, seen from
below, dust in the lantern light, slow handheld camera.

## The lamp turns on
<!-- shot
continue: true
-->
The great lamp at the top of the tower turns on and its beam sweeps over the dark sea; the camera
pulls back to reveal the whole island under the first stars.
`;
}
