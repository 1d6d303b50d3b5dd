// Every English string the storyboard preview shows, in one place, so it can move to @vscode/l10n as a
// whole (see the l10n work for the Generate panel). `{0}` placeholders are filled by `format`.
export const STRINGS = {
  meta: '{0} · {1} shots · {2}',
  playAll: 'Play All',
  playAllNone: 'No shot has a chosen take to play yet',
  playAllTitle: 'Play the {0} chosen takes back to back',
  generateAll: 'Generate All',
  generate: 'Generate',
  reroll: 'Re-roll',
  costTitle: 'Generate another take ({0})',
  noShots: 'This storyboard has no shots yet: start one with a "## " heading.',
  noPrompt: '(no prompt yet)',
  noTakes: 'No takes yet.',
  takesOf: 'Takes of {0}',
  startFrameAlt: 'The last frame of the previous shot, which this shot starts from',
  startFramePending: 'The previous shot\'s last frame appears here once its take is ready.',
  startFrameCaption: 'Starts from the previous shot\'s last frame (sent as the reference image).',
  videoLabel: '{0}, {1}',
  choose: 'Choose',
  chosen: 'Chosen',
  chooseTitle: 'Use this take for "{0}" in the film',
  playerLabel: 'Play All',
  stop: 'Stop',
  clipTitle: '{0}. {1}',
  position: 'Shot {0} of {1}',
};

export function format(template: string, ...args: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));
}
