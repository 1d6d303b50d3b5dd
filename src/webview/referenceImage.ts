// The reference-image field: a picker that goes through the extension (the webview never touches the file
// system), drag and drop of an image file (the browser reads the dropped File and sends its bytes; the
// extension checks them again and stores a copy), a thumbnail and a remove button.
import * as l10n from '@vscode/l10n';
import { MAX_REFERENCE_IMAGE_BYTES, MODELS, acceptsReferenceImage, validate, type ModelInfo } from '../core/catalog';
import type { ReferenceImageView } from '../shared/protocol';
import { codicon, formatBytes, h, replaceChildren, setHidden } from './dom';
import type { Host } from './host';

/** Enough bytes for catalog.sniffImageType. */
const HEAD_BYTES = 16;

export class ReferenceImageField {
  readonly element: HTMLElement;
  private readonly chooseButton: HTMLElement;
  private readonly dropZone: HTMLElement;
  private readonly preview: HTMLElement;
  private readonly note: HTMLElement;
  private readonly status: HTMLElement;
  readonly errorId = 'image-error';
  private readonly error: HTMLElement;
  private image: ReferenceImageView | undefined;
  private transientError = '';
  private accepts = true;

  constructor(
    private readonly host: Host,
    private readonly onImage: (image: ReferenceImageView | undefined) => void,
    /** Asks the form to show problems again (after this field's own pick/drop error changed). */
    private readonly requestRender: () => void,
  ) {
    this.chooseButton = h('vscode-button', { secondary: true, icon: 'file-media', id: 'choose-image' }, l10n.t('Choose Image…'));
    this.chooseButton.addEventListener('click', () => void this.pick().catch((e: unknown) => console.error('Seedance panel:', e)));
    this.status = h('span', { class: 'drop-status', 'aria-live': 'polite' });
    this.dropZone = h(
      'div',
      { class: 'drop-zone', id: 'image-drop-zone' },
      this.chooseButton,
      h('span', { class: 'drop-hint' }, l10n.t('or drop a JPEG, PNG or WebP file here (hold Shift while dragging)')),
      this.status,
    );
    this.preview = h('div', { class: 'image-preview', hidden: true });
    this.note = h('p', { class: 'field-note', id: 'image-note', hidden: true });
    this.error = h('div', { class: 'field-error', id: this.errorId, role: 'alert' });
    this.element = h(
      'div',
      { class: 'field', id: 'image-field', role: 'group', 'aria-labelledby': 'image-label' },
      h('div', { class: 'label', id: 'image-label' }, l10n.t('Reference image'), ' ', h('span', { class: 'optional' }, l10n.t('(optional)'))),
      this.note,
      this.dropZone,
      this.preview,
      this.error,
    );
    this.wireDrop();
  }

  /** Offers the picker only for models that take an image, with a note saying why otherwise. */
  setModel(model: ModelInfo | undefined): void {
    this.accepts = model ? acceptsReferenceImage(model) : true;
    const takers = MODELS.filter(acceptsReferenceImage).map((m) => m.label).join(l10n.t(' or '));
    setHidden(this.note, this.accepts);
    this.note.textContent = this.accepts ? '' : l10n.t('{0} makes videos from text only; a reference image needs {1}.', model?.label ?? '', takers);
    setHidden(this.dropZone, !this.accepts || this.image !== undefined);
  }

  /** Shows `image`; rebuilt only when it really changed, so re-rendering the form does not flicker it. */
  setImage(image: ReferenceImageView | undefined): void {
    if (image?.token === this.image?.token && image?.thumbnailUri === this.image?.thumbnailUri) return;
    this.image = image;
    this.transientError = '';
    setHidden(this.dropZone, !this.accepts || image !== undefined);
    setHidden(this.preview, image === undefined);
    if (!image) {
      replaceChildren(this.preview);
      return;
    }
    const remove = h('vscode-button', { secondary: true, icon: 'close', id: 'remove-image' }, l10n.t('Remove'));
    remove.addEventListener('click', () => {
      this.host.post({ type: 'discardImage', imageToken: image.token });
      this.onImage(undefined);
      this.chooseButton.focus();
    });
    replaceChildren(
      this.preview,
      h('img', { class: 'thumbnail', src: image.thumbnailUri, alt: l10n.t('Reference image {0}', image.fileName) }),
      h('div', { class: 'image-facts' }, h('span', { class: 'image-name' }, image.fileName), h('span', { class: 'muted' }, formatBytes(image.byteLength))),
      remove,
    );
  }

  /** Validation problems from the form (catalog.validate) plus this field's own pick/drop error. */
  showProblems(messages: readonly string[]): boolean {
    const all = [...messages, ...(this.transientError ? [this.transientError] : [])];
    replaceChildren(this.error, ...all.map((m) => h('p', {}, codicon('error'), ' ', m)));
    this.element.classList.toggle('invalid', all.length > 0);
    return all.length > 0;
  }

  private fail(message: string): void {
    this.transientError = message;
    this.status.textContent = '';
    this.requestRender();
  }

  private async pick(): Promise<void> {
    this.status.textContent = '';
    const reply = await this.host.request<'pickImage'>({ type: 'pickImage' });
    if (!reply.ok) return this.fail(reply.error.message);
    if (reply.result.image) this.replaceWith(reply.result.image);
  }

  private replaceWith(image: ReferenceImageView): void {
    if (this.image && this.image.token !== image.token) this.host.post({ type: 'discardImage', imageToken: this.image.token });
    this.status.textContent = '';
    this.onImage(image);
  }

  private wireDrop(): void {
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    this.dropZone.addEventListener('dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      this.dropZone.classList.add('drag-over');
    });
    this.dropZone.addEventListener('dragleave', () => this.dropZone.classList.remove('drag-over'));
    this.dropZone.addEventListener('drop', (e) => {
      this.dropZone.classList.remove('drag-over');
      if (!hasFiles(e)) return;
      e.preventDefault();
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length > 0) void this.drop(files[0], files.length).catch((e: unknown) => console.error('Seedance panel:', e));
    });
    // A drop that misses the zone must not navigate the webview to the file.
    window.addEventListener('dragover', (e) => e.preventDefault());
    window.addEventListener('drop', (e) => e.preventDefault());
  }

  private async drop(file: File, count: number): Promise<void> {
    // The same catalogue rules the extension applies, checked here first so a wrong or huge file is
    // refused at once instead of after copying up to 30 MB across.
    const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
    const problems = validate({ inputReference: { fileName: file.name, byteLength: file.size, head } }).filter((p) => p.field === 'inputReference');
    if (problems.length > 0) return this.fail(problems.map((p) => p.message).join(' '));
    if (file.size > MAX_REFERENCE_IMAGE_BYTES) return; // unreachable after validate; keeps the transfer bounded
    this.status.textContent = l10n.t('Reading {0}…', file.name);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const fileName = file.name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(-255) || 'image';
    const reply = await this.host.request<'dropImage'>({ type: 'dropImage', fileName, bytes });
    if (!reply.ok) return this.fail(reply.error.message);
    this.replaceWith(reply.result.image);
    if (count > 1) this.status.textContent = l10n.t('Used {0}; a generation takes one reference image.', file.name);
  }
}
