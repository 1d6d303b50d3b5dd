// Completions and hover for the settings keys and values of a storyboard: in the front matter and in a
// shot's `<!-- shot ... -->` comment. Values come from the one catalogue read against CometAPI's live model
// list (availability.ts), so what is offered is what the checks accept.
import * as vscode from 'vscode';
import { availabilityOf, modelChoices, usableModel } from '../../core/availability';
import { acceptsReferenceImage, ASPECT_RATIOS, MODELS, RESOLUTIONS, secondsFor, type ModelInfo } from '../../core/catalog';
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
        // Offered first; a retired model the live list still lists with its warning; one it does not list
        // last, struck through, with the reason (the checks refuse it).
        return modelChoices(this.service.listed()).flatMap((a, i) => {
          if (a.kind === 'unknown' || a.kind === 'retired') return [];
          const m = a.model;
          const rules = `${m.minSeconds}–${m.maxSeconds} s, ${m.resolutions.join('/')}.`;
          if (a.kind === 'offered') return [Object.assign(value(m.id, m.label, `${m.note}. ${rules}`), { sortText: String(i).padStart(2, '0') })];
          const item = value(m.id, a.kind === 'unlisted' ? vscode.l10n.t('{0} (unavailable)', m.label) : vscode.l10n.t('{0} (retired {1}, still listed)', m.label, a.retired.date), a.kind === 'unlisted' ? a.reason : `${a.warning} ${rules}`);
          if (a.kind === 'unlisted') item.tags = [vscode.CompletionItemTag.Deprecated];
          return [Object.assign(item, { sortText: String(i).padStart(2, '0') })];
        });
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
        const model = usableModel(shot?.model ?? this.serviceDefaultModel(snap), this.service.listed()) ?? MODELS[0];
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
    // What the model is, and whether it is offered now (the live model list decides, CONTRACT 16).
    const a = availabilityOf(word, this.service.listed());
    if (a.kind === 'unknown') return undefined;
    const md = new vscode.MarkdownString().appendMarkdown(`**${a.model.label}** (\`${a.model.id}\`)\n\n`);
    md.supportThemeIcons = true;
    if (a.kind === 'retired') return new vscode.Hover(md.appendMarkdown('$(error) ').appendText(a.reason), range);
    if (a.kind === 'unlisted') md.appendMarkdown('$(circle-slash) ').appendText(a.reason).appendMarkdown('\n\n');
    if (a.kind === 'retiredButListed') md.appendMarkdown('$(warning) ').appendText(a.warning).appendMarkdown('\n\n');
    return new vscode.Hover(md.appendText(rulesOf(a.model)), range);
  }
}

function rulesOf(model: ModelInfo): string {
  return `${model.note}. ${vscode.l10n.t('{0} to {1} seconds; {2}; {3}.', model.minSeconds, model.maxSeconds, model.resolutions.join(', '), acceptsReferenceImage(model) ? vscode.l10n.t('reference images and continuation') : vscode.l10n.t('text only'))}`;
}
