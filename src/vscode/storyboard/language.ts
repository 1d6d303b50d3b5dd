// Completions and hover for the settings keys and values of a storyboard: in the front matter and in a
// shot's `<!-- shot ... -->` comment. Values come from the one catalogue, so what is offered is what the
// checks accept.
import * as vscode from 'vscode';
import { acceptsReferenceImage, ASPECT_RATIOS, findModel, MODELS, RESOLUTIONS, secondsFor } from '../../core/catalog';
import { FRONT_MATTER_KEYS, SHOT_KEYS } from '../../core/storyboard/parse';
import { STORYBOARD_SELECTOR, type StoryboardService } from './storyboardService';

function keyDocs(): Record<string, string> {
  return {
    title: vscode.l10n.t('The film\'s title, shown in the preview and on Play All.'),
    model: vscode.l10n.t('The Seedance model. In the front matter: for every shot; in a shot: for that shot.'),
    seconds: vscode.l10n.t('Length of the shot in whole seconds (the model decides the range).'),
    size: vscode.l10n.t('Aspect ratio: {0}.', ASPECT_RATIOS.join(', ')),
    resolution: vscode.l10n.t('Resolution: {0} (the model decides which).', RESOLUTIONS.join(', ')),
    id: vscode.l10n.t('The shot\'s identity: its takes belong to this id, wherever the shot moves in the file. Written when the shot is first generated; do not copy it to another shot.'),
    image: vscode.l10n.t('A reference image (JPEG, PNG or WebP) as a path relative to this storyboard, or a list of up to 9 such paths ([a.png, b.png] or one "- path" per line), sent in that order. 2.0 models only.'),
    continue: vscode.l10n.t('true: start from the last frame of the previous shot\'s chosen take (sent as the first reference image, before any "image"). 2.0 models only.'),
    take: vscode.l10n.t('The chosen take (its video file name) that goes into the film. Set by Choose in the preview.'),
  };
}

type Place = { kind: 'frontMatter' | 'shot'; lineStart: number };

export class StoryboardLanguageFeatures implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly service: StoryboardService) {
    this.subscriptions = [
      vscode.languages.registerCompletionItemProvider(STORYBOARD_SELECTOR, { provideCompletionItems: (d, p) => this.complete(d, p) }, ':', ' '),
      vscode.languages.registerHoverProvider(STORYBOARD_SELECTOR, { provideHover: (d, p) => this.hover(d, p) }),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private place(document: vscode.TextDocument, position: vscode.Position): Place | undefined {
    const snap = this.service.snapshotNow(document);
    const offset = document.offsetAt(position);
    const fm = snap.resolved.board.frontMatter;
    const lineStart = document.offsetAt(new vscode.Position(position.line, 0));
    if (fm && offset >= fm.contentStart && offset <= fm.contentEnd) return { kind: 'frontMatter', lineStart };
    for (const s of snap.resolved.board.shots) {
      const c = s.comment;
      if (c && offset >= c.contentStart && offset <= c.contentEnd) return { kind: 'shot', lineStart: Math.max(lineStart, c.contentStart) };
    }
    // A comment being typed (not closed yet): `<!-- shot` on this or an earlier line of the section.
    const before = document.getText(new vscode.Range(new vscode.Position(Math.max(0, position.line - 12), 0), position));
    const open = before.lastIndexOf('<!-- shot');
    if (open >= 0 && !before.slice(open).includes('-->')) return { kind: 'shot', lineStart };
    return undefined;
  }

  private complete(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const place = this.place(document, position);
    if (!place) return undefined;
    const lineText = document.getText(new vscode.Range(document.positionAt(place.lineStart), position));
    // The segment being typed: after the last "{", "," or the start of the line (or "<!-- shot").
    const segment = lineText.replace(/^.*<!--\s*shot:?/, '').split(/[{,]/).pop() ?? '';
    const valueMatch = /^\s*([A-Za-z]+)\s*:\s*([^\s]*)$/.exec(segment);
    if (valueMatch) return this.values(valueMatch[1], document, position);
    if (!/^\s*[A-Za-z]*$/.test(segment)) return undefined;
    const keys = place.kind === 'frontMatter' ? FRONT_MATTER_KEYS : SHOT_KEYS;
    const docs = keyDocs();
    return keys.map((key) => {
      const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
      item.insertText = `${key}: `;
      item.documentation = docs[key];
      item.command = { title: '', command: 'editor.action.triggerSuggest' };
      return item;
    });
  }

  private values(key: string, document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const value = (label: string, detail?: string, doc?: string) => {
      const item = new vscode.CompletionItem(label, vscode.CompletionItemKind.Value);
      if (detail) item.detail = detail;
      if (doc) item.documentation = doc;
      return item;
    };
    switch (key) {
      case 'model':
        return MODELS.map((m, i) => Object.assign(value(m.id, m.label, `${m.note}. ${m.minSeconds}–${m.maxSeconds} s, ${m.resolutions.join('/')}.`), { sortText: String(i) }));
      case 'size':
        return ASPECT_RATIOS.map((r, i) => Object.assign(value(r), { sortText: String(i) }));
      case 'resolution':
        return RESOLUTIONS.map((r, i) => Object.assign(value(r), { sortText: String(i) }));
      case 'continue':
        return [value('true'), value('false')];
      case 'seconds': {
        const snap = this.service.snapshotNow(document);
        const offset = document.offsetAt(position);
        const shot = snap.resolved.shots.find((s) => offset >= s.shot.headingSpan.start && offset <= s.shot.bodySpan.end);
        const model = findModel(shot?.model ?? this.serviceDefaultModel(snap)) ?? MODELS[0];
        return secondsFor(model).map((s, i) => Object.assign(value(String(s), model.label), { sortText: String(i).padStart(3, '0') }));
      }
      default:
        return undefined;
    }
  }

  private serviceDefaultModel(snap: ReturnType<StoryboardService['snapshotNow']>): string {
    const fm = snap.resolved.board.defaults.model?.value;
    return typeof fm === 'string' ? fm : MODELS[0].id;
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.place(document, position)) return undefined;
    const range = document.getWordRangeAtPosition(position, /[A-Za-z0-9_.:-]+/);
    if (!range) return undefined;
    const word = document.getText(range).replace(/:$/, '');
    const docs = keyDocs();
    if (docs[word]) return new vscode.Hover(new vscode.MarkdownString().appendMarkdown(`**${word}**: `).appendText(docs[word]), range);
    const model = findModel(word);
    if (model) {
      const md = new vscode.MarkdownString()
        .appendMarkdown(`**${model.label}** (\`${model.id}\`)\n\n`)
        .appendText(`${model.note}. ${vscode.l10n.t('{0} to {1} seconds; {2}; {3}.', model.minSeconds, model.maxSeconds, model.resolutions.join(', '), acceptsReferenceImage(model) ? vscode.l10n.t('reference images and continuation') : vscode.l10n.t('text only'))}`);
      return new vscode.Hover(md, range);
    }
    return undefined;
  }
}
